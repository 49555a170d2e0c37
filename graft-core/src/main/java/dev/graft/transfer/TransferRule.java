package dev.graft.transfer;

import java.util.Optional;

/**
 * One rule of a plan.
 *
 * @param match the target tensors it applies to
 * @param source the source name, with {@code $n} groups from the match; empty means the same name
 * @param transform how the source becomes the target
 * @param mode frozen, fine-tuned or re-initialized
 * @param units an optional subset of output units that are transferred or frozen
 */
public record TransferRule(TensorMatch match, Optional<String> source, Transform transform, Mode mode,
        Optional<UnitMask> units) {

    /** A rule that copies matching tensors under the same name and fine-tunes them. */
    public static TransferRule copy(TensorMatch match, Mode mode) {
        return new TransferRule(match, Optional.empty(), new Transform.Copy(), mode, Optional.empty());
    }
}
