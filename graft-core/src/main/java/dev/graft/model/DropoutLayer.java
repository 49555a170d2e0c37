package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import java.util.Set;

/** {@code nn.Dropout} with drop probability {@code p}. */
public record DropoutLayer(String name, double p) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("dropout", Set.of("p"), a -> {
        double p = a.number("p", 0.5);
        if (p < 0 || p >= 1) {
            throw a.error("p must be in [0, 1)");
        }
        return new DropoutLayer(a.name(), p);
    }, new LayerKind.Example("{type: dropout, p: 0.25}", 6));

    public Map<String, Object> yaml() {
        return Yaml.args("p", p);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return s;
    }

    @Override
    public double dropout() {
        return p;
    }

    @Override
    public DropoutLayer withDropout(double p) {
        return new DropoutLayer(name, p);
    }

    /** Nothing: dropout is the identity in inference. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return in.name();
    }

    public Block build(String path, BuildContext ctx) {
        return Dropout.builder().optRate((float) p).build();
    }
}
