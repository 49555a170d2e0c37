package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * torchvision's {@code SqueezeExcitation(channels, squeeze, activation, scale_activation)}:
 * {@code x * scale_activation(fc2(activation(fc1(avgpool(x)))))}, with {@code fc1} and {@code fc2}
 * 1×1 convolutions registered under those names. In the unit graph {@code fc1} consumes the
 * input's units, and the input's units are joined with {@code fc2}'s by the channel scale.
 */
public record SqueezeExcitationLayer(String name, int channels, int squeeze, ActivationLayer.Function activation,
        ActivationLayer.Function scaleActivation) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("squeezeexcitation",
            Set.of("channels", "squeeze", "activation", "scale_activation"),
            a -> new SqueezeExcitationLayer(a.name(), a.positive("channels"), a.positive("squeeze"),
                    function(a, "activation", "relu"), function(a, "scale_activation", "sigmoid")),
            new LayerKind.Example("{type: squeezeexcitation, channels: 4, squeeze: 2}", 4, 3, 3),
            new LayerKind.Example("{type: squeezeexcitation, channels: 6, squeeze: 3, activation: silu,"
                    + " scale_activation: hardsigmoid}", 6, 2, 2));

    private static final String SCALE = "a squeeze-excitation channel scale";

    private static ActivationLayer.Function function(LayerArgs a, String key, String fallback) {
        String s = a.has(key) ? a.text(key).toLowerCase(Locale.ROOT) : fallback;
        return ActivationLayer.Function.of(s).orElseThrow(() -> a.error("unknown activation '" + s + "'"));
    }

    public Map<String, Object> yaml() {
        return Yaml.args("channels", channels, "squeeze", squeeze, "activation", activation.keyword(),
                "scale_activation", scaleActivation.keyword());
    }

    public String type() {
        return KIND.keyword();
    }

    private Conv2dLayer fc1() {
        return new Conv2dLayer("fc1", squeeze, 1, 1, 0, 1, true);
    }

    private Conv2dLayer fc2() {
        return new Conv2dLayer("fc2", channels, 1, 1, 0, 1, true);
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 3, path, "squeezeexcitation needs input [C, H, W], got " + Arrays.toString(s));
        ctx.need(s[0] == channels, path, "channels is " + channels + " but the input has " + s[0]);
        UnitFlow in = ctx.flow();
        ctx.joins(in, SCALE);
        long[] squeezed = ctx.infer(fc1(), path + ".fc1", new long[] {s[0], 1, 1});
        ctx.infer(fc2(), path + ".fc2", squeezed);
        ctx.joins(ctx.flow(), SCALE);
        ctx.flow(UnitFlow.sum(in, ctx.flow()));
        return s;
    }

    /** {@code Mul(x, scale(fc2(act(fc1(GlobalAveragePool(x))))))}, fc1 and fc2 exported as the 1×1 convolutions they are. */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        long[] s = in.shape();
        String pooled = ctx.node(path, "GlobalAveragePool", java.util.List.of(in.name()));
        ExportContext.Value v = ctx.export(fc1(), path + ".fc1", new ExportContext.Value(pooled, new long[] {s[0], 1, 1}));
        v = new ExportContext.Value(activation.export(path, v.name(), ctx), v.shape());
        v = ctx.export(fc2(), path + ".fc2", v);
        return ctx.node(path, "Mul", java.util.List.of(in.name(), scaleActivation.export(path, v.name(), ctx)));
    }

    public Block build(String path, BuildContext ctx) {
        return new SqueezeExcitationBlock(ctx.build(fc1(), path + ".fc1"), ctx.build(fc2(), path + ".fc2"),
                activation, scaleActivation);
    }

    /** {@code x * scale(fc2(act(fc1(mean_hw(x)))))}. */
    private static final class SqueezeExcitationBlock extends AbstractBlock {
        private final Block fc1;
        private final Block fc2;
        private final ActivationLayer.Function act;
        private final ActivationLayer.Function scale;

        SqueezeExcitationBlock(Block fc1, Block fc2, ActivationLayer.Function act, ActivationLayer.Function scale) {
            this.fc1 = addChildBlock("fc1", fc1);
            this.fc2 = addChildBlock("fc2", fc2);
            this.act = act;
            this.scale = scale;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray s = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
            s = act.apply(fc1.forward(store, new NDList(s), training, params).singletonOrThrow());
            s = scale.apply(fc2.forward(store, new NDList(s), training, params).singletonOrThrow());
            return new NDList(x.mul(s));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }

        @Override
        public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape in = inputShapes[0];
            Shape pooled = new Shape(in.get(0), in.get(1), 1, 1);
            fc1.initialize(manager, dataType, pooled);
            fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {pooled}));
        }
    }
}
