package dev.graft.model;

import dev.graft.checkpoint.Dims;

/**
 * One tensor of a model, named as in PyTorch's {@code state_dict}.
 *
 * @param name the full name, such as {@code features.0.weight}
 * @param dims its shape
 * @param role weight, bias or a BatchNorm buffer
 * @param layer the owning layer's full name, such as {@code features.0}
 * @param layerType the owning layer's spec type, such as {@code conv2d}
 * @param fanIn inputs per output unit (for default initialization); 0 where it does not apply
 */
public record ParamInfo(String name, Dims dims, ParamRole role, String layer, String layerType, int fanIn) {}
