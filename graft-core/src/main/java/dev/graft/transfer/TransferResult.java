package dev.graft.transfer;

import dev.graft.checkpoint.Tensor;
import java.util.Map;

/**
 * The target's tensors after a transfer, with what to train and how.
 *
 * @param tensors every target tensor, in the model's order
 * @param report what was done to each
 * @param modes the mode of each target tensor (frozen, fine-tune with its LR multiplier, reinit)
 * @param frozenUnits for tensors with a freeze mask, the frozen output units; the optimizer masks
 *     their gradient so they change by exactly zero
 */
public record TransferResult(Map<String, Tensor> tensors, TransferReport report, Map<String, Mode> modes,
        Map<String, UnitMask> frozenUnits) {

    public TransferResult {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        modes = Map.copyOf(modes);
        frozenUnits = Map.copyOf(frozenUnits);
    }
}
