package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Set;

/** A named group run in order, like {@code nn.Sequential}; its children are registered under their names. */
public record SequentialLayer(String name, List<LayerSpec> layers) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("sequential", Set.of("layers"),
            a -> new SequentialLayer(a.name(), a.layers("layers")),
            new LayerKind.Example("{type: sequential, layers: [{type: linear, out: 3}, {type: relu}]}", 4));

    public SequentialLayer {
        layers = List.copyOf(layers);
    }

    public Map<String, Object> yaml() {
        return Yaml.args("layers", layers);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] input, LayoutContext ctx) {
        long[] s = input;
        for (LayerSpec l : layers) {
            s = ctx.infer(l, LayerSpec.join(path, l.name()), s);
        }
        return s;
    }

    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        ExportContext.Value v = in;
        for (LayerSpec l : layers) {
            v = ctx.export(l, LayerSpec.join(path, l.name()), v);
        }
        return v.name();
    }

    public NamedSequentialBlock build(String path, BuildContext ctx) {
        NamedSequentialBlock b = new NamedSequentialBlock();
        for (LayerSpec l : layers) {
            String name = LayerSpec.join(path, l.name());
            Block child = ctx.build(l, name);
            b.add(l.name(), child);
            ctx.placed(name, b, child);
        }
        return b;
    }

    @Override
    public List<LayerSpec> children() {
        return layers;
    }

    @Override
    public SequentialLayer withChildren(List<LayerSpec> children) {
        return new SequentialLayer(name, children);
    }
}
