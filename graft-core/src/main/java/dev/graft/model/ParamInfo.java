package dev.graft.model;

import dev.graft.checkpoint.Dims;

/**
 * One tensor of a model, named as in PyTorch's {@code state_dict}, with what its layer kind says
 * about it.
 *
 * @param name the full name, such as {@code features.0.weight}
 * @param dims its shape
 * @param role weight, bias or a BatchNorm buffer
 * @param layer the owning layer's full name, such as {@code features.0}
 * @param layerType the owning layer's spec type, such as {@code conv2d} (for reports)
 * @param fanIn inputs per output unit (for default initialization); 0 where it does not apply
 * @param init its default initial values
 * @param decayed whether weight decay applies to it
 */
public record ParamInfo(String name, Dims dims, ParamRole role, String layer, String layerType, int fanIn,
        ParamInit init, boolean decayed) {

    public ParamInfo {
        if (decayed && !role.trainable()) {
            throw new IllegalArgumentException(name + ": a buffer cannot be decayed");
        }
        java.util.Objects.requireNonNull(init, "init");
    }
}
