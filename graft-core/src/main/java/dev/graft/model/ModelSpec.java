package dev.graft.model;

import dev.graft.checkpoint.Dims;

/**
 * A target network: its per-sample input shape and its layers, whose parameter names and
 * layouts are those of the PyTorch module the spec mirrors.
 *
 * @param name a label for reports
 * @param source the file (or label) the spec was read from, for error messages
 * @param input the shape of one sample, without the batch dimension ({@code [C, H, W]} or {@code [F]})
 * @param root the top-level layers; their names start every parameter name
 */
public record ModelSpec(String name, String source, Dims input, LayerSpec.Sequential root) {}
