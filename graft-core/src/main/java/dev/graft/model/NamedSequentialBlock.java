package dev.graft.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Children run in order, like {@code nn.Sequential}. Graft keeps the PyTorch names of the
 * children itself (see {@link GraftModel}); DJL's own child keys are only used internally.
 */
final class NamedSequentialBlock extends AbstractBlock {
    private final List<Block> ordered = new ArrayList<>();
    private final java.util.Map<Block, GraftModel.Tap> taps = new java.util.IdentityHashMap<>();

    void add(String name, Block block) {
        addChildBlock(name, block);
        ordered.add(block);
    }

    /** Records what {@code child} receives in each forward pass into {@code tap}. */
    void tap(Block child, GraftModel.Tap tap) {
        taps.put(child, tap);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = inputs;
        for (Block b : ordered) {
            GraftModel.Tap tap = taps.get(b);
            if (tap != null) {
                tap.seen(x.singletonOrThrow());
            }
            x = b.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] s = inputs;
        for (Block b : ordered) {
            s = b.getOutputShapes(s);
        }
        return s;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : ordered) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }
}
