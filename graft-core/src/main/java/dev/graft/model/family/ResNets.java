package dev.graft.model.family;

import static dev.graft.model.family.Tv.RELU;
import static dev.graft.model.family.Tv.act;
import static dev.graft.model.family.Tv.adaptiveAvg;
import static dev.graft.model.family.Tv.bn;
import static dev.graft.model.family.Tv.conv;
import static dev.graft.model.family.Tv.flatten;
import static dev.graft.model.family.Tv.linear;
import static dev.graft.model.family.Tv.maxPool;
import static dev.graft.model.family.Tv.resnetBlock;
import static dev.graft.model.family.Tv.seq;

import dev.graft.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNets ({@code torchvision.models.resnet}): {@code conv1}, {@code bn1},
 * {@code relu}, {@code maxpool}, {@code layer1..4} of {@code BasicBlock}s or {@code Bottleneck}s
 * (stride on the 3×3 convolution, "ResNet v1.5"), {@code avgpool}, {@code fc}.
 */
final class ResNets {
    private ResNets() {}

    static final Family RESNET18 = resnet("resnet18", false, 2, 2, 2, 2);
    static final Family RESNET34 = resnet("resnet34", false, 3, 4, 6, 3);
    static final Family RESNET50 = resnet("resnet50", true, 3, 4, 6, 3);

    private static Family resnet(String name, boolean bottleneck, int... blocks) {
        return Tv.family(name, new long[] {3, 224, 224}, "conv1", "fc", (classes, channels) -> {
            int expansion = bottleneck ? 4 : 1;
            List<LayerSpec> l = new ArrayList<>();
            l.add(conv("conv1", 64, 7, 2, 3, 1, false));
            l.add(bn("bn1"));
            l.add(act("relu", RELU));
            l.add(maxPool("maxpool", 3, 2, 1));
            int inplanes = 64;
            for (int stage = 0; stage < 4; stage++) {
                int planes = 64 << stage;
                List<LayerSpec> stageBlocks = new ArrayList<>();
                for (int b = 0; b < blocks[stage]; b++) {
                    int stride = b == 0 && stage > 0 ? 2 : 1;
                    LayerSpec down = stride != 1 || inplanes != planes * expansion
                            ? seq("downsample", conv("0", planes * expansion, 1, stride, 0, 1, false), bn("1"))
                            : null;
                    List<LayerSpec> body = bottleneck
                            ? List.of(conv("conv1", planes, 1, 1, 0, 1, false), bn("bn1"), act("relu", RELU),
                                    conv("conv2", planes, 3, stride, 1, 1, false), bn("bn2"), act("relu2", RELU),
                                    conv("conv3", planes * expansion, 1, 1, 0, 1, false), bn("bn3"))
                            : List.of(conv("conv1", planes, 3, stride, 1, 1, false), bn("bn1"), act("relu", RELU),
                                    conv("conv2", planes, 3, 1, 1, 1, false), bn("bn2"));
                    stageBlocks.add(resnetBlock(String.valueOf(b), body, down));
                    inplanes = planes * expansion;
                }
                l.add(seq("layer" + (stage + 1), stageBlocks));
            }
            l.add(adaptiveAvg("avgpool", 1));
            l.add(flatten());
            l.add(linear("fc", classes));
            return l;
        });
    }
}
