package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code activation(body(x) + projection(x))}, or {@code body(x) + x} (the identity shortcut) when
 * there is no projection and the shapes match. Written two ways:
 * <ul>
 *   <li>{@code body} and {@code projection}: lists of layers registered as {@code body.0},
 *       {@code projection.0}, ...;
 *   <li>{@code layers} and {@code shortcut}: the body's layers registered directly under the block
 *       with the names the user gives, and the shortcut one layer under its own name, as
 *       torchvision's {@code BasicBlock} ({@code conv1}, {@code bn1}, ..., {@code downsample.0}).
 * </ul>
 * In the unit graph the block's input feeds both paths, and the layer after it reads the sum of
 * both paths' last producers.
 *
 * @param body the main path; named {@code body}, or {@code ""} when its layers sit in the block itself
 * @param projection the shortcut path, if not the identity
 */
public record ResidualLayer(String name, SequentialLayer body, Optional<LayerSpec> projection,
        Optional<ActivationLayer.Function> activation) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("residual",
            Set.of("body", "projection", "layers", "shortcut", "activation"), ResidualLayer::parse,
            new LayerKind.Example("{type: residual, body: [{type: conv2d, out: 2, kernel: 3, padding: 1}]}", 2, 4, 4),
            new LayerKind.Example("{type: residual, activation: relu, body: [{type: conv2d, out: 4, kernel: 3,"
                    + " stride: 2, padding: 1}, {type: batchnorm2d}], projection: [{type: conv2d, out: 4, kernel: 1,"
                    + " stride: 2}]}", 2, 4, 4),
            new LayerKind.Example("{type: residual, activation: relu, layers: [{name: conv1, type: conv2d, out: 4,"
                    + " kernel: 3, stride: 2, padding: 1, bias: false}, {name: bn1, type: batchnorm2d}],"
                    + " shortcut: {name: downsample, type: sequential, layers: [{type: conv2d, out: 4, kernel: 1,"
                    + " stride: 2, bias: false}, {type: batchnorm2d}]}}", 2, 4, 4));

    private static final String ADDITION = "a residual addition";

    private static LayerSpec parse(LayerArgs a) {
        SequentialLayer body;
        Optional<LayerSpec> projection;
        if (a.has("layers")) {
            if (a.has("body") || a.has("projection")) {
                throw a.error("give either 'layers' (and 'shortcut') or 'body' (and 'projection'), not both");
            }
            body = new SequentialLayer("", a.layers("layers"));
            projection = a.layer("shortcut", "shortcut");
            projection.ifPresent(p -> {
                if (body.layers().stream().anyMatch(l -> l.name().equals(p.name()))) {
                    throw a.error("the shortcut's name '" + p.name() + "' is also a layer's name");
                }
            });
        } else {
            if (a.has("shortcut")) {
                throw a.error("'shortcut' goes with 'layers'; with 'body' give 'projection'");
            }
            body = new SequentialLayer("body", a.layers("body"));
            projection = a.has("projection")
                    ? Optional.of(new SequentialLayer("projection", a.layers("projection")))
                    : Optional.empty();
        }
        Optional<ActivationLayer.Function> act = Optional.empty();
        if (a.has("activation")) {
            String s = a.text("activation").toLowerCase(Locale.ROOT);
            act = Optional.of(ActivationLayer.Function.of(s)
                    .orElseThrow(() -> a.error("unknown activation '" + s + "'")));
        }
        return new ResidualLayer(a.name(), body, projection, act);
    }

    public Map<String, Object> yaml() {
        boolean named = body.name().isEmpty();
        return Yaml.args("activation", activation.map(ActivationLayer.Function::keyword).orElse(null),
                named ? "layers" : "body", body.layers(),
                named ? "shortcut" : "projection", projection.map(p -> named ? (Object) p
                        : ((SequentialLayer) p).layers()).orElse(null));
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        UnitFlow in = ctx.flow();
        ctx.joins(in, ADDITION);
        long[] main = ctx.infer(body, LayerSpec.join(path, body.name()), s);
        UnitFlow mainOut = ctx.flow();
        ctx.joins(mainOut, ADDITION);
        long[] skip = s;
        UnitFlow skipOut = in;
        if (projection.isPresent()) {
            ctx.flow(in);
            skip = ctx.infer(projection.get(), LayerSpec.join(path, projection.get().name()), s);
            skipOut = ctx.flow();
            ctx.joins(skipOut, ADDITION);
        }
        ctx.need(Arrays.equals(main, skip), path, "body output " + Arrays.toString(main)
                + " does not match the skip path " + Arrays.toString(skip)
                + (projection.isEmpty() ? "; add a " + (body.name().isEmpty() ? "shortcut" : "projection") : ""));
        ctx.flow(UnitFlow.sum(mainOut, skipOut));
        return main;
    }

    /** {@code Add} of the body's and the skip path's outputs, then the activation if any. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        String main = ctx.export(body, LayerSpec.join(path, body.name()), in).name();
        String skip = projection.map(p -> ctx.export(p, LayerSpec.join(path, p.name()), in).name()).orElse(in.name());
        String sum = ctx.node(path, "Add", List.of(main, skip));
        return activation.map(f -> f.export(path, sum, ctx)).orElse(sum);
    }

    public Block build(String path, BuildContext ctx) {
        Block b = ctx.build(body, LayerSpec.join(path, body.name()));
        Block p = projection.map(x -> ctx.build(x, LayerSpec.join(path, x.name()))).orElse(null);
        return new ResidualBlock(b, p, activation.<java.util.function.UnaryOperator<ai.djl.ndarray.NDArray>>map(
                f -> f::apply).orElse(null));
    }

    @Override
    public List<LayerSpec> children() {
        List<LayerSpec> out = new ArrayList<>();
        out.add(body);
        projection.ifPresent(out::add);
        return out;
    }

    @Override
    public ResidualLayer withChildren(List<LayerSpec> children) {
        return new ResidualLayer(name, (SequentialLayer) children.get(0),
                children.size() > 1 ? Optional.of(children.get(1)) : Optional.empty(), activation);
    }
}
