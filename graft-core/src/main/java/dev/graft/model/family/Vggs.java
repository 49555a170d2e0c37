package dev.graft.model.family;

import static dev.graft.model.family.Tv.RELU;
import static dev.graft.model.family.Tv.act;
import static dev.graft.model.family.Tv.adaptiveAvg;
import static dev.graft.model.family.Tv.bn;
import static dev.graft.model.family.Tv.conv;
import static dev.graft.model.family.Tv.dropout;
import static dev.graft.model.family.Tv.flatten;
import static dev.graft.model.family.Tv.linear;
import static dev.graft.model.family.Tv.maxPool;
import static dev.graft.model.family.Tv.seq;

import dev.graft.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's VGG with BatchNorm ({@code torchvision.models.vgg}): {@code features} of 3×3
 * convolution, BatchNorm, ReLU and max pools, indexed; {@code avgpool} to 7×7; {@code classifier}
 * {@code 0..6}.
 */
final class Vggs {
    private Vggs() {}

    /** Configuration "A" (VGG-11); 0 is a max pool. */
    private static final int[] A = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};

    static final Family VGG11_BN = Tv.family("vgg11_bn", new long[] {3, 224, 224}, "features.0", "classifier.6",
            (classes, channels) -> vgg(A, classes));

    private static List<LayerSpec> vgg(int[] cfg, int classes) {
        List<LayerSpec> f = new ArrayList<>();
        for (int v : cfg) {
            if (v == 0) {
                f.add(maxPool(String.valueOf(f.size()), 2, 2, 0));
            } else {
                f.add(conv(String.valueOf(f.size()), v, 3, 1, 1, 1, true));
                f.add(bn(String.valueOf(f.size())));
                f.add(act(String.valueOf(f.size()), RELU));
            }
        }
        return List.of(seq("features", f), adaptiveAvg("avgpool", 7), flatten(),
                seq("classifier", linear("0", 4096), act("1", RELU), dropout("2", 0.5), linear("3", 4096),
                        act("4", RELU), dropout("5", 0.5), linear("6", classes)));
    }
}
