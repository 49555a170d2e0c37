package dev.graft.train;

import ai.djl.ndarray.NDArray;

/**
 * One tensor the optimizer updates, with its group settings.
 *
 * @param name the PyTorch name
 * @param weight the engine array, updated in place
 * @param lrMultiplier multiplies the scheduled learning rate
 * @param mask 1 where elements may change, 0 where frozen (null: all may change); masked elements
 *     change by exactly zero
 * @param decay whether weight decay applies (not to biases and norms)
 */
public record TrainableParam(String name, NDArray weight, double lrMultiplier, NDArray mask, boolean decay) {}
