package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code nn.Conv2d}: weight {@code [out, in/groups, kh, kw]}, bias {@code [out]}; a unit layer.
 * Kernel, stride, padding and dilation are {@code [h, w]} (YAML takes one integer or a pair).
 */
public record Conv2dLayer(String name, int out, Pair kernel, Pair stride, Pair padding, Pair dilation, int groups,
        boolean bias) implements LayerSpec {

    /** A height and a width. */
    public record Pair(int h, int w) {
        static Pair of(int[] v) {
            return new Pair(v[0], v[1]);
        }

        Shape shape() {
            return new Shape(h, w);
        }

        /** One integer when square, else {@code [h, w]}. */
        Object yaml() {
            return h == w ? (Object) h : java.util.List.of(h, w);
        }

        @Override
        public String toString() {
            return h == w ? String.valueOf(h) : "[" + h + ", " + w + "]";
        }
    }

    public static final LayerKind KIND = LayerKind.of("conv2d",
            Set.of("out", "kernel", "stride", "padding", "dilation", "groups", "bias"), Conv2dLayer::parse,
            new LayerKind.Example("{type: conv2d, out: 4, kernel: 3}", 2, 6, 6),
            new LayerKind.Example("{type: conv2d, out: 4, kernel: [1, 3], stride: [2, 1], padding: [0, 2],"
                    + " dilation: [1, 2], groups: 2, bias: false}", 2, 7, 6));

    private static LayerSpec parse(LayerArgs a) {
        int out = a.positive("out");
        int groups = a.positive("groups", 1);
        if (out % groups != 0) {
            throw a.error("out " + out + " is not divisible by groups " + groups);
        }
        return new Conv2dLayer(a.name(), out, Pair.of(a.positives("kernel", 2, -1)), Pair.of(a.positives("stride", 2, 1)),
                Pair.of(a.nonNegatives("padding", 2, 0)), Pair.of(a.positives("dilation", 2, 1)), groups,
                a.bool("bias", true));
    }

    /** A square convolution without dilation. */
    public Conv2dLayer(String name, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        this(name, out, new Pair(kernel, kernel), new Pair(stride, stride), new Pair(padding, padding), new Pair(1, 1),
                groups, bias);
    }

    public Map<String, Object> yaml() {
        return Yaml.args("out", out, "kernel", kernel.yaml(),
                "stride", stride.equals(new Pair(1, 1)) ? null : stride.yaml(),
                "padding", padding.equals(new Pair(0, 0)) ? null : padding.yaml(),
                "dilation", dilation.equals(new Pair(1, 1)) ? null : dilation.yaml(),
                "groups", groups == 1 ? null : groups, "bias", bias ? null : false);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 3, path, "conv2d needs input [C, H, W], got " + Arrays.toString(s));
        ctx.need(s[0] % groups == 0, path, "input channels " + s[0] + " are not divisible by groups " + groups);
        long spanH = (long) dilation.h() * (kernel.h() - 1) + 1;
        long spanW = (long) dilation.w() * (kernel.w() - 1) + 1;
        ctx.need(s[1] + 2L * padding.h() >= spanH && s[2] + 2L * padding.w() >= spanW,
                path, "kernel " + kernel + " is larger than the padded input " + Arrays.toString(s));
        long h = (s[1] + 2L * padding.h() - spanH) / stride.h() + 1;
        long w = (s[2] + 2L * padding.w() - spanW) / stride.w() + 1;
        int inPerGroup = (int) (s[0] / groups);
        int fanIn = (int) ctx.elements(path, "weight", new long[] {inPerGroup, kernel.h(), kernel.w()});
        ctx.param(path, type(), ParamRole.WEIGHT, ParamInit.FAN_IN_UNIFORM, true, fanIn, out, inPerGroup,
                kernel.h(), kernel.w());
        if (bias) {
            ctx.param(path, type(), ParamRole.BIAS, ParamInit.FAN_IN_UNIFORM, false, fanIn, out);
        }
        ctx.produces(path, out, groups > 1);
        return new long[] {out, h, w};
    }

    /**
     * {@code Conv} with PyTorch's geometry: {@code pads} are {@code [top, left, bottom, right]}, the
     * same padding on both sides as {@code nn.Conv2d}'s.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String w = ctx.weight(path + ".weight");
        java.util.List<String> inputs = bias ? java.util.List.of(in.name(), w, ctx.tensor(path + ".bias"))
                : java.util.List.of(in.name(), w);
        return ctx.node(path, "Conv", inputs, ExportContext.Attribute.ints("kernel_shape", kernel.h(), kernel.w()),
                ExportContext.Attribute.ints("strides", stride.h(), stride.w()),
                ExportContext.Attribute.ints("pads", padding.h(), padding.w(), padding.h(), padding.w()),
                ExportContext.Attribute.ints("dilations", dilation.h(), dilation.w()),
                ExportContext.Attribute.of("group", groups));
    }

    public Block build(String path, BuildContext ctx) {
        Conv2d.Builder c = Conv2d.builder().setKernelShape(kernel.shape()).optStride(stride.shape())
                .optPadding(padding.shape());
        if (dilation.h() != 1 || dilation.w() != 1) {
            c.optDilation(dilation.shape());
        }
        Conv2d b = c.optGroups(groups).setFilters(out).optBias(bias).build();
        ctx.parameters(b, path, "weight", "weight", "bias", "bias");
        return b;
    }
}
