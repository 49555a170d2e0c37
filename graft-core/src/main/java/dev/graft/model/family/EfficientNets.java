package dev.graft.model.family;

import static dev.graft.model.family.Tv.adaptiveAvg;
import static dev.graft.model.family.Tv.convNormAct;
import static dev.graft.model.family.Tv.dropout;
import static dev.graft.model.family.Tv.flatten;
import static dev.graft.model.family.Tv.identityResidual;
import static dev.graft.model.family.Tv.linear;
import static dev.graft.model.family.Tv.makeDivisible;
import static dev.graft.model.family.Tv.seq;

import dev.graft.model.ActivationLayer.Function;
import dev.graft.model.LayerSpec;
import dev.graft.model.SqueezeExcitationLayer;
import dev.graft.model.StochasticDepthLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's EfficientNet-B0 ({@code torchvision.models.efficientnet}): {@code features.0}
 * stem, {@code features.1..7} stages of {@code MBConv} blocks ({@code features.S.B.block.*}),
 * {@code features.8}, a global average pool and {@code classifier}. Residual blocks end in
 * {@code stochastic_depth} (a {@code stochasticdepth} layer, no tensors) with torchvision's
 * probability {@code 0.2 * block / 16}: the identity in eval mode, a per-sample branch drop in training.
 */
final class EfficientNets {
    private EfficientNets() {}

    static final Family EFFICIENTNET_B0 = Tv.family("efficientnet_b0", new long[] {3, 224, 224}, "features.0.0",
            "classifier.1", EfficientNets::b0);

    /** torchvision's {@code stochastic_depth_prob}, reached linearly by the last block. */
    private static final double STOCHASTIC_DEPTH = 0.2;

    private static List<LayerSpec> b0(int classes, int channels) {
        // expand ratio, kernel, stride, input, output, layers
        int[][] stages = {{1, 3, 1, 32, 16, 1}, {6, 3, 2, 16, 24, 2}, {6, 5, 2, 24, 40, 2}, {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
        List<LayerSpec> features = new ArrayList<>();
        features.add(convNormAct("0", 32, 3, 2, 1, 1e-5, 0.1, Function.SILU));
        int total = 0;
        for (int[] s : stages) {
            total += s[5];
        }
        int blockId = 0;
        for (int[] s : stages) {
            List<LayerSpec> stage = new ArrayList<>();
            for (int i = 0; i < s[5]; i++) {
                int in = makeDivisible(i == 0 ? s[3] : s[4], 8);
                int out = makeDivisible(s[4], 8);
                int stride = i == 0 ? s[2] : 1;
                int exp = makeDivisible(in * (double) s[0], 8);
                List<LayerSpec> block = new ArrayList<>();
                if (exp != in) {
                    block.add(convNormAct(String.valueOf(block.size()), exp, 1, 1, 1, 1e-5, 0.1, Function.SILU));
                }
                block.add(convNormAct(String.valueOf(block.size()), exp, s[1], stride, exp, 1e-5, 0.1, Function.SILU));
                block.add(new SqueezeExcitationLayer(String.valueOf(block.size()), exp, Math.max(1, in / 4),
                        Function.SILU, Function.SIGMOID));
                block.add(convNormAct(String.valueOf(block.size()), out, 1, 1, 1, 1e-5, 0.1, null));
                String name = String.valueOf(i);
                LayerSpec body = seq("block", block);
                double p = STOCHASTIC_DEPTH * blockId++ / total;
                stage.add(stride == 1 && in == out
                        ? identityResidual(name, List.of(body, new StochasticDepthLayer("stochastic_depth", p)))
                        : seq(name, body));
            }
            features.add(seq(String.valueOf(features.size()), stage));
        }
        features.add(convNormAct(String.valueOf(features.size()), 1280, 1, 1, 1, 1e-5, 0.1, Function.SILU));
        return List.of(seq("features", features), adaptiveAvg("avgpool", 1), flatten(),
                seq("classifier", dropout("0", 0.2), linear("1", classes)));
    }
}
