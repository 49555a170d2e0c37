package dev.graft.model;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code activation(body(x) + projection(x))}, or {@code body(x) + x} without a projection;
 * children are registered as {@code body} and {@code projection}. In the unit graph the block's
 * input feeds both paths, and the layer after it reads the sum of both paths' last producers.
 */
public record ResidualLayer(String name, SequentialLayer body, Optional<SequentialLayer> projection,
        Optional<ActivationLayer.Function> activation) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("residual", Set.of("body", "projection", "activation"),
            ResidualLayer::parse,
            new LayerKind.Example("{type: residual, body: [{type: conv2d, out: 2, kernel: 3, padding: 1}]}", 2, 4, 4),
            new LayerKind.Example("{type: residual, activation: relu, body: [{type: conv2d, out: 4, kernel: 3,"
                    + " stride: 2, padding: 1}, {type: batchnorm2d}], projection: [{type: conv2d, out: 4, kernel: 1,"
                    + " stride: 2}]}", 2, 4, 4));

    private static LayerSpec parse(LayerArgs a) {
        SequentialLayer body = new SequentialLayer("body", a.layers("body"));
        Optional<SequentialLayer> projection = a.has("projection")
                ? Optional.of(new SequentialLayer("projection", a.layers("projection")))
                : Optional.empty();
        Optional<ActivationLayer.Function> act = Optional.empty();
        if (a.has("activation")) {
            String s = a.text("activation").toLowerCase(Locale.ROOT);
            act = Optional.of(ActivationLayer.Function.of(s)
                    .orElseThrow(() -> a.error("unknown activation '" + s + "'")));
        }
        return new ResidualLayer(a.name(), body, projection, act);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        UnitFlow in = ctx.flow();
        ctx.feedsResidual(in);
        long[] main = ctx.infer(body, path + ".body", s);
        UnitFlow mainOut = ctx.flow();
        ctx.feedsResidual(mainOut);
        long[] skip = s;
        UnitFlow skipOut = in;
        if (projection.isPresent()) {
            ctx.flow(in);
            skip = ctx.infer(projection.get(), path + ".projection", s);
            skipOut = ctx.flow();
            ctx.feedsResidual(skipOut);
        }
        ctx.need(Arrays.equals(main, skip), path, "body output " + Arrays.toString(main)
                + " does not match the skip path " + Arrays.toString(skip)
                + (projection.isEmpty() ? "; add a projection" : ""));
        ctx.flow(UnitFlow.sum(mainOut, skipOut));
        return main;
    }

    public Block build(String path, BuildContext ctx) {
        Block b = ctx.build(body, path + ".body");
        Block p = projection.map(x -> ctx.build(x, path + ".projection")).orElse(null);
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
                children.size() > 1 ? Optional.of((SequentialLayer) children.get(1)) : Optional.empty(), activation);
    }
}
