package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import java.util.Arrays;
import java.util.Set;

/** {@code nn.Conv1d}: input {@code [C, L]}, weight {@code [out, in/groups, kernel]}, bias {@code [out]}; a unit layer. */
public record Conv1dLayer(String name, int out, int kernel, int stride, int padding, int dilation, int groups,
        boolean bias) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("conv1d",
            Set.of("out", "kernel", "stride", "padding", "dilation", "groups", "bias"), a -> {
                int out = a.positive("out");
                int groups = a.positive("groups", 1);
                if (out % groups != 0) {
                    throw a.error("out " + out + " is not divisible by groups " + groups);
                }
                return new Conv1dLayer(a.name(), out, a.positive("kernel"), a.positive("stride", 1),
                        a.nonNegative("padding", 0), a.positive("dilation", 1), groups, a.bool("bias", true));
            },
            new LayerKind.Example("{type: conv1d, out: 4, kernel: 3}", 2, 9),
            new LayerKind.Example("{type: conv1d, out: 4, kernel: 3, stride: 2, padding: 2, dilation: 2, groups: 2,"
                    + " bias: false}", 2, 9));

    public Map<String, Object> yaml() {
        return Yaml.args("out", out, "kernel", kernel, "stride", stride == 1 ? null : stride,
                "padding", padding == 0 ? null : padding, "dilation", dilation == 1 ? null : dilation,
                "groups", groups == 1 ? null : groups, "bias", bias ? null : false);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 2, path, "conv1d needs input [C, L], got " + Arrays.toString(s));
        ctx.need(s[0] % groups == 0, path, "input channels " + s[0] + " are not divisible by groups " + groups);
        long span = (long) dilation * (kernel - 1) + 1;
        ctx.need(s[1] + 2L * padding >= span, path, "kernel " + kernel + " is larger than the padded input "
                + Arrays.toString(s));
        long len = (s[1] + 2L * padding - span) / stride + 1;
        int inPerGroup = (int) (s[0] / groups);
        int fanIn = (int) ctx.elements(path, "weight", new long[] {inPerGroup, kernel});
        ctx.param(path, type(), ParamRole.WEIGHT, ParamInit.FAN_IN_UNIFORM, true, fanIn, out, inPerGroup, kernel);
        if (bias) {
            ctx.param(path, type(), ParamRole.BIAS, ParamInit.FAN_IN_UNIFORM, false, fanIn, out);
        }
        ctx.produces(path, out, groups > 1);
        return new long[] {out, len};
    }

    /** {@code Conv} over one spatial axis, padded by {@code padding} at both ends as {@code nn.Conv1d}. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String w = ctx.weight(path + ".weight");
        java.util.List<String> inputs = bias ? java.util.List.of(in.name(), w, ctx.tensor(path + ".bias"))
                : java.util.List.of(in.name(), w);
        return ctx.node(path, "Conv", inputs, ExportContext.Attribute.ints("kernel_shape", kernel),
                ExportContext.Attribute.ints("strides", stride), ExportContext.Attribute.ints("pads", padding, padding),
                ExportContext.Attribute.ints("dilations", dilation), ExportContext.Attribute.of("group", groups));
    }

    public Block build(String path, BuildContext ctx) {
        Conv1d b = Conv1d.builder().setKernelShape(new Shape(kernel)).optStride(new Shape(stride))
                .optPadding(new Shape(padding)).optDilation(new Shape(dilation)).optGroups(groups).setFilters(out)
                .optBias(bias).build();
        ctx.parameters(b, path, "weight", "weight", "bias", "bias");
        return b;
    }
}
