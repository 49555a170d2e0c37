package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import java.util.Set;

/** {@code nn.LayerNorm} over the last dimension; it mixes the units it normalizes. */
public record LayerNormLayer(String name, double eps) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("layernorm", Set.of("eps"),
            a -> new LayerNormLayer(a.name(), a.number("eps", 1e-5)),
            new LayerKind.Example("{type: layernorm, eps: 0.001}", 6));

    public Map<String, Object> yaml() {
        return Yaml.args("eps", eps);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        long d = s[s.length - 1];
        ctx.param(path, type(), ParamRole.WEIGHT, ParamInit.ONES, false, 0, d);
        ctx.param(path, type(), ParamRole.BIAS, ParamInit.ZEROS, false, 0, d);
        ctx.mixesUnits(path);
        return s;
    }

    /** {@code LayerNormalization} (opset 17) over the last axis, as {@code nn.LayerNorm(features)}. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return ctx.node(path, "LayerNormalization", java.util.List.of(in.name(), ctx.tensor(path + ".weight"),
                ctx.tensor(path + ".bias")), ExportContext.Attribute.of("axis", -1),
                ExportContext.Attribute.real("epsilon", eps));
    }

    public Block build(String path, BuildContext ctx) {
        LayerNorm b = new LastAxisLayerNorm((float) eps);
        ctx.parameters(b, path, "gamma", "weight", "beta", "bias");
        return b;
    }

    /** PyTorch's {@code nn.LayerNorm(features)}: normalizes over the last axis only. */
    private static final class LastAxisLayerNorm extends LayerNorm {
        LastAxisLayerNorm(float eps) {
            super(LayerNorm.builder().optEpsilon(eps));
        }

        @Override
        protected void beforeInitialize(Shape... inputShapes) {
            super.beforeInitialize(inputShapes);
            normalizedShape = new Shape(inputShapes[0].get(inputShapes[0].dimension() - 1));
        }
    }
}
