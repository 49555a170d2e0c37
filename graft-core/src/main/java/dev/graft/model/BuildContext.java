package dev.graft.model;

import ai.djl.nn.Block;

/**
 * What a layer's {@link LayerSpec#build DJL build} writes to: the parameters by PyTorch name and
 * the places of named layers. One context builds one model; not thread-safe.
 */
public interface BuildContext {

    /** Builds a nested layer under its full name {@code path}. */
    Block build(LayerSpec child, String path);

    /**
     * Records each DJL parameter of {@code block} under its PyTorch name: pairs of DJL name and
     * {@code state_dict} suffix, such as {@code "gamma", "weight"}.
     */
    void parameters(Block block, String layer, String... djlToTorch);

    /** Records that {@code child} (full name {@code path}) runs inside the sequential {@code parent}. */
    void placed(String path, NamedSequentialBlock parent, Block child);

    /** Records a BatchNorm layer (its statistics can be frozen; its step counter is kept beside it). */
    void batchNorm(String layer, StatsFreezableBatchNorm norm);
}
