package dev.graft.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A BatchNorm whose running statistics can be frozen: while frozen it normalizes with the running
 * statistics and does not update them, even in training (PyTorch's {@code bn.eval()}). Needed
 * because DJL's parameter freezing leaves the running statistics moving. DJL's BatchNorm cannot
 * be subclassed outside its package, so this block wraps one.
 */
final class StatsFreezableBatchNorm extends AbstractBlock {
    private final BatchNorm norm;
    private volatile boolean statsFrozen;

    StatsFreezableBatchNorm(BatchNorm norm) {
        this.norm = addChildBlock("bn", norm);
    }

    BatchNorm norm() {
        return norm;
    }

    void setStatsFrozen(boolean frozen) {
        this.statsFrozen = frozen;
    }

    boolean statsFrozen() {
        return statsFrozen;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return norm.forward(store, inputs, training && !statsFrozen, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return norm.getOutputShapes(inputs);
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes);
    }
}
