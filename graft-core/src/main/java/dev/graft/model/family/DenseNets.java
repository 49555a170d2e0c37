package dev.graft.model.family;

import static dev.graft.model.family.Tv.RELU;
import static dev.graft.model.family.Tv.act;
import static dev.graft.model.family.Tv.adaptiveAvg;
import static dev.graft.model.family.Tv.avgPool;
import static dev.graft.model.family.Tv.bn;
import static dev.graft.model.family.Tv.conv;
import static dev.graft.model.family.Tv.flatten;
import static dev.graft.model.family.Tv.linear;
import static dev.graft.model.family.Tv.maxPool;
import static dev.graft.model.family.Tv.seq;

import dev.graft.model.DenseConcatLayer;
import dev.graft.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's DenseNet ({@code torchvision.models.densenet}): {@code features.conv0},
 * {@code norm0}, {@code relu0}, {@code pool0}, {@code denseblockN.denselayerM} (each a
 * {@code denseconcat}: its input joined with {@code norm1, relu1, conv1, norm2, relu2, conv2} of
 * it, which is the block's concatenation of all earlier features), {@code transitionN},
 * {@code norm5}; then ReLU, a global average pool and {@code classifier}.
 */
final class DenseNets {
    private DenseNets() {}

    static final Family DENSENET121 = Tv.family("densenet121", new long[] {3, 224, 224}, "features.conv0",
            "classifier", (classes, channels) -> densenet(32, new int[] {6, 12, 24, 16}, 64, 4, classes));

    private static List<LayerSpec> densenet(int growth, int[] blocks, int init, int bnSize, int classes) {
        List<LayerSpec> f = new ArrayList<>();
        f.add(conv("conv0", init, 7, 2, 3, 1, false));
        f.add(bn("norm0"));
        f.add(act("relu0", RELU));
        f.add(maxPool("pool0", 3, 2, 1));
        int features = init;
        for (int b = 0; b < blocks.length; b++) {
            List<LayerSpec> layers = new ArrayList<>();
            for (int i = 0; i < blocks[b]; i++) {
                layers.add(new DenseConcatLayer("denselayer" + (i + 1), List.of(bn("norm1"), act("relu1", RELU),
                        conv("conv1", bnSize * growth, 1, 1, 0, 1, false), bn("norm2"), act("relu2", RELU),
                        conv("conv2", growth, 3, 1, 1, 1, false))));
                features += growth;
            }
            f.add(seq("denseblock" + (b + 1), layers));
            if (b != blocks.length - 1) {
                f.add(seq("transition" + (b + 1), bn("norm"), act("relu", RELU),
                        conv("conv", features / 2, 1, 1, 0, 1, false), avgPool("pool", 2, 2)));
                features /= 2;
            }
        }
        f.add(bn("norm5"));
        return List.of(seq("features", f), act("relu", RELU), adaptiveAvg("avgpool", 1), flatten(),
                linear("classifier", classes));
    }
}
