package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.Arrays;
import java.util.Set;

/** {@code nn.AdaptiveAvgPool2d(1)}: one value per channel, keeping {@code [C, 1, 1]}. */
public record GlobalAvgPoolLayer(String name) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("globalavgpool", Set.of(),
            a -> new GlobalAvgPoolLayer(a.name()), new LayerKind.Example("{type: globalavgpool}", 3, 4, 5));

    public Map<String, Object> yaml() {
        return Map.of();
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 3, path, "globalavgpool needs input [C, H, W], got " + Arrays.toString(s));
        return new long[] {s[0], 1, 1};
    }

    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return ctx.node(path, "GlobalAveragePool", java.util.List.of(in.name()));
    }

    public Block build(String path, BuildContext ctx) {
        return LambdaBlock.singleton(x -> x.mean(new int[] {3}, true).mean(new int[] {2}, true), "globalavgpool");
    }
}
