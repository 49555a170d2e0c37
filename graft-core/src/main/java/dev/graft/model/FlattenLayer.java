package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import java.util.Set;

/** {@code nn.Flatten}: everything after the batch dimension into one; each channel becomes H×W columns. */
public record FlattenLayer(String name) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("flatten", Set.of(), a -> new FlattenLayer(a.name()),
            new LayerKind.Example("{type: flatten}", 3, 2, 2));

    public Map<String, Object> yaml() {
        return Map.of();
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        long n = ctx.elements(path, "input", s);
        if (s.length > 1) {
            ctx.spreads((int) (n / s[0]));
        }
        return new long[] {n};
    }

    /** {@code Flatten(axis=1)}: the batch stays, the rest becomes one axis in C, H, W order. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return ctx.node(path, "Flatten", java.util.List.of(in.name()), ExportContext.Attribute.of("axis", 1));
    }

    public Block build(String path, BuildContext ctx) {
        return Blocks.batchFlattenBlock();
    }
}
