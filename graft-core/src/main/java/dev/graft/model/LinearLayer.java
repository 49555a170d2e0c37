package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Set;

/** {@code nn.Linear}: weight {@code [out, in]}, bias {@code [out]}; a unit layer. */
public record LinearLayer(String name, int out, boolean bias) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("linear", Set.of("out", "bias"),
            a -> new LinearLayer(a.name(), a.positive("out"), a.bool("bias", true)),
            new LayerKind.Example("{type: linear, out: 3}", 5),
            new LayerKind.Example("{type: linear, out: 2, bias: false}", 4));

    public Map<String, Object> yaml() {
        return Yaml.args("out", out, "bias", bias ? null : false);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 1, path, "linear needs a flat input [features], got "
                + Arrays.toString(s) + "; add a flatten layer before it");
        int in = (int) s[0];
        ctx.param(path, type(), ParamRole.WEIGHT, ParamInit.FAN_IN_UNIFORM, true, in, out, in);
        if (bias) {
            ctx.param(path, type(), ParamRole.BIAS, ParamInit.FAN_IN_UNIFORM, false, in, out);
        }
        ctx.produces(path, out, false);
        return new long[] {out};
    }

    /** {@code Gemm(x, W, b, transB=1)}: {@code x Wᵀ + b} on the batch {@code [B, in]}, W in its own {@code [out, in]} layout. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String w = ctx.weight(path + ".weight");
        java.util.List<String> inputs = bias ? java.util.List.of(in.name(), w, ctx.tensor(path + ".bias"))
                : java.util.List.of(in.name(), w);
        return ctx.node(path, "Gemm", inputs, ExportContext.Attribute.of("transB", 1));
    }

    public Block build(String path, BuildContext ctx) {
        Linear b = Linear.builder().setUnits(out).optBias(bias).build();
        ctx.parameters(b, path, "weight", "weight", "bias", "bias");
        return b;
    }
}
