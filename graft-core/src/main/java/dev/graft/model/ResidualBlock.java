package dev.graft.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/** {@code activation(body(x) + projection(x))}; without a projection the skip is {@code x}. */
final class ResidualBlock extends AbstractBlock {
    private final Block body;
    private final Block projection;
    private final UnaryOperator<NDArray> activation;

    ResidualBlock(Block body, Block projection, UnaryOperator<NDArray> activation) {
        this.body = addChildBlock("body", body);
        this.projection = projection == null ? null : addChildBlock("projection", projection);
        this.activation = activation;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray main = body.forward(store, inputs, training, params).singletonOrThrow();
        NDArray skip = projection == null ? inputs.singletonOrThrow()
                : projection.forward(store, inputs, training, params).singletonOrThrow();
        NDArray sum = main.add(skip);
        return new NDList(activation == null ? sum : activation.apply(sum));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return body.getOutputShapes(inputs);
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
        }
    }
}
