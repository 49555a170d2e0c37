package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code torch.cat([branch(x) for branch in layers], dim=1)}: each child reads the same input and
 * their outputs are joined along the channel (first) dimension; children are registered under their
 * names (default: their index). Branch outputs may differ only in that dimension.
 */
public record ConcatLayer(String name, List<LayerSpec> layers) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("concat", Set.of("layers"), a -> {
        List<LayerSpec> layers = a.layers("layers");
        if (layers.isEmpty()) {
            throw a.error("a concat needs at least one layer");
        }
        return new ConcatLayer(a.name(), layers);
    }, new LayerKind.Example("{type: concat, layers: [{type: conv2d, out: 3, kernel: 1}, {type: identity},"
            + " {name: b, type: sequential, layers: [{type: conv2d, out: 2, kernel: 3, padding: 1}]}]}", 2, 4, 4));

    private static final String CONCATENATION = "a concatenation";

    public ConcatLayer {
        layers = List.copyOf(layers);
    }

    public Map<String, Object> yaml() {
        return Yaml.args("layers", layers);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        UnitFlow in = ctx.flow();
        UnitFlow joined = null;
        long[] out = null;
        for (LayerSpec l : layers) {
            ctx.flow(in);
            long[] o = ctx.infer(l, LayerSpec.join(path, l.name()), s);
            ctx.joins(ctx.flow(), CONCATENATION);
            joined = joined == null ? ctx.flow() : UnitFlow.sum(joined, ctx.flow());
            if (out == null) {
                out = o.clone();
            } else {
                boolean ok = o.length == out.length && o.length > 0
                        && Arrays.equals(Arrays.copyOfRange(o, 1, o.length), Arrays.copyOfRange(out, 1, out.length));
                ctx.need(ok, path, "branch " + l.name() + " gives " + Arrays.toString(o)
                        + ", which cannot be joined to " + Arrays.toString(out) + " along the channels");
                out[0] += o[0];
            }
        }
        ctx.flow(new UnitFlow(joined.producers(), true, 1));
        return out;
    }

    /** Each branch on the same input, then {@code Concat} along axis 1 (the channels, after the batch). */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        List<String> outs = new ArrayList<>();
        for (LayerSpec l : layers) {
            outs.add(ctx.export(l, LayerSpec.join(path, l.name()), in).name());
        }
        return outs.size() == 1 ? outs.get(0) : ctx.node(path, "Concat", outs, ExportContext.Attribute.of("axis", 1));
    }

    public Block build(String path, BuildContext ctx) {
        ConcatBlock b = new ConcatBlock();
        for (LayerSpec l : layers) {
            b.add(l.name(), ctx.build(l, LayerSpec.join(path, l.name())));
        }
        return b;
    }

    @Override
    public List<LayerSpec> children() {
        return layers;
    }

    @Override
    public ConcatLayer withChildren(List<LayerSpec> children) {
        return new ConcatLayer(name, children);
    }

    /** Runs every child on the input and concatenates their outputs along axis 1. */
    private static final class ConcatBlock extends AbstractBlock {
        private final List<Block> branches = new ArrayList<>();

        void add(String name, Block b) {
            branches.add(addChildBlock(name, b));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList outs = new NDList(branches.size());
            for (Block b : branches) {
                outs.add(b.forward(store, inputs, training, params).singletonOrThrow());
            }
            NDArray y = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1);
            return new NDList(y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            long[] out = null;
            for (Block b : branches) {
                long[] o = b.getOutputShapes(inputs)[0].getShape();
                if (out == null) {
                    out = o.clone();
                } else {
                    out[1] += o[1];
                }
            }
            return new Shape[] {new Shape(out)};
        }

        @Override
        public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            for (Block b : branches) {
                b.initialize(manager, dataType, inputShapes);
            }
        }
    }
}
