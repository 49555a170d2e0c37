package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.Set;

/** {@code nn.LeakyReLU(negative_slope)}: {@code x} above 0, {@code negative_slope * x} below. */
public record LeakyReluLayer(String name, double negativeSlope) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("leakyrelu", Set.of("negative_slope"),
            a -> new LeakyReluLayer(a.name(), a.number("negative_slope", 0.01)),
            new LayerKind.Example("{type: leakyrelu, negative_slope: 0.2}", 2, 3, 3));

    public Map<String, Object> yaml() {
        return Yaml.args("negative_slope", negativeSlope);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return s;
    }

    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return ctx.node(path, "LeakyRelu", java.util.List.of(in.name()), ExportContext.Attribute.real("alpha",
                negativeSlope));
    }

    public Block build(String path, BuildContext ctx) {
        float slope = (float) negativeSlope;
        return LambdaBlock.singleton(x -> Activation.leakyRelu(x, slope), type());
    }
}
