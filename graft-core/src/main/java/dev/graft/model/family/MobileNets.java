package dev.graft.model.family;

import static dev.graft.model.family.Tv.conv;
import static dev.graft.model.family.Tv.convNormAct;
import static dev.graft.model.family.Tv.adaptiveAvg;
import static dev.graft.model.family.Tv.act;
import static dev.graft.model.family.Tv.bn;
import static dev.graft.model.family.Tv.dropout;
import static dev.graft.model.family.Tv.flatten;
import static dev.graft.model.family.Tv.identityResidual;
import static dev.graft.model.family.Tv.linear;
import static dev.graft.model.family.Tv.makeDivisible;
import static dev.graft.model.family.Tv.seq;

import dev.graft.model.ActivationLayer.Function;
import dev.graft.model.LayerSpec;
import dev.graft.model.SqueezeExcitationLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's MobileNetV2 and MobileNetV3-Small ({@code torchvision.models.mobilenetv2},
 * {@code mobilenetv3}): {@code features} of {@code Conv2dNormActivation}s ({@code features.0.0},
 * {@code features.0.1}) and inverted residuals ({@code features.N.conv} / {@code features.N.block}),
 * a global average pool and {@code classifier}.
 */
final class MobileNets {
    private MobileNets() {}

    static final Family MOBILENET_V2 = Tv.family("mobilenet_v2", new long[] {3, 224, 224}, "features.0.0",
            "classifier.1", MobileNets::v2);

    static final Family MOBILENET_V3_SMALL = Tv.family("mobilenet_v3_small", new long[] {3, 224, 224},
            "features.0.0", "classifier.3", MobileNets::v3Small);

    private static List<LayerSpec> v2(int classes, int channels) {
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}};
        List<LayerSpec> features = new ArrayList<>();
        int in = makeDivisible(32, 8);
        features.add(convNormAct("0", in, 3, 2, 1, 1e-5, 0.1, Function.RELU6));
        for (int[] s : settings) {
            int out = makeDivisible(s[1], 8);
            for (int i = 0; i < s[2]; i++) {
                int stride = i == 0 ? s[3] : 1;
                int hidden = (int) Math.round(in * (double) s[0]);
                List<LayerSpec> conv = new ArrayList<>();
                if (s[0] != 1) {
                    conv.add(convNormAct(String.valueOf(conv.size()), hidden, 1, 1, 1, 1e-5, 0.1, Function.RELU6));
                }
                conv.add(convNormAct(String.valueOf(conv.size()), hidden, 3, stride, hidden, 1e-5, 0.1,
                        Function.RELU6));
                conv.add(conv(String.valueOf(conv.size()), out, 1, 1, 0, 1, false));
                conv.add(bn(String.valueOf(conv.size())));
                String name = String.valueOf(features.size());
                LayerSpec body = seq("conv", conv);
                features.add(stride == 1 && in == out ? identityResidual(name, List.of(body)) : seq(name, body));
                in = out;
            }
        }
        features.add(convNormAct(String.valueOf(features.size()), 1280, 1, 1, 1, 1e-5, 0.1, Function.RELU6));
        return List.of(seq("features", features), adaptiveAvg("avgpool", 1), flatten(),
                seq("classifier", dropout("0", 0.2), linear("1", classes)));
    }

    private static List<LayerSpec> v3Small(int classes, int channels) {
        // input, kernel, expanded, out, squeeze-excitation, hardswish, stride
        int[][] bneck = {{16, 3, 16, 16, 1, 0, 2}, {16, 3, 72, 24, 0, 0, 2}, {24, 3, 88, 24, 0, 0, 1},
            {24, 5, 96, 40, 1, 1, 2}, {40, 5, 240, 40, 1, 1, 1}, {40, 5, 240, 40, 1, 1, 1},
            {40, 5, 120, 48, 1, 1, 1}, {48, 5, 144, 48, 1, 1, 1}, {48, 5, 288, 96, 1, 1, 2},
            {96, 5, 576, 96, 1, 1, 1}, {96, 5, 576, 96, 1, 1, 1}};
        double eps = 0.001;
        double momentum = 0.01;
        List<LayerSpec> features = new ArrayList<>();
        features.add(convNormAct("0", 16, 3, 2, 1, eps, momentum, Function.HARDSWISH));
        for (int[] b : bneck) {
            int in = makeDivisible(b[0], 8);
            int exp = makeDivisible(b[2], 8);
            int out = makeDivisible(b[3], 8);
            Function f = b[5] == 1 ? Function.HARDSWISH : Function.RELU;
            List<LayerSpec> block = new ArrayList<>();
            if (exp != in) {
                block.add(convNormAct(String.valueOf(block.size()), exp, 1, 1, 1, eps, momentum, f));
            }
            block.add(convNormAct(String.valueOf(block.size()), exp, b[1], b[6], exp, eps, momentum, f));
            if (b[4] == 1) {
                block.add(new SqueezeExcitationLayer(String.valueOf(block.size()), exp, makeDivisible(exp / 4, 8),
                        Function.RELU, Function.HARDSIGMOID));
            }
            block.add(convNormAct(String.valueOf(block.size()), out, 1, 1, 1, eps, momentum, null));
            String name = String.valueOf(features.size());
            LayerSpec body = seq("block", block);
            features.add(b[6] == 1 && in == out ? identityResidual(name, List.of(body)) : seq(name, body));
        }
        features.add(convNormAct(String.valueOf(features.size()), 576, 1, 1, 1, eps, momentum, Function.HARDSWISH));
        return List.of(seq("features", features), adaptiveAvg("avgpool", 1), flatten(),
                seq("classifier", linear("0", 1024), act("1", Function.HARDSWISH), dropout("2", 0.2),
                        linear("3", classes)));
    }
}
