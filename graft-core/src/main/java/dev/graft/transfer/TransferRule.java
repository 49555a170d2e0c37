package dev.graft.transfer;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * One rule of a plan. A rule applies to target tensors ({@code match} or {@code regex}), or to
 * the attention heads of the layers it names ({@code heads}: a glob over modules such as
 * {@code encoder.layer.3.attention.self}), selecting or masking whole heads in every tensor they
 * span.
 *
 * @param match the target tensors it applies to, or with scope {@link Scope#HEADS} the modules
 *     whose heads it applies to
 * @param source the source name, with {@code $n} groups from the match; empty means the same name
 * @param transform how the source becomes the target
 * @param mode frozen, fine-tuned or re-initialized
 * @param units an optional subset of output units (or heads) that are transferred or frozen;
 *     plain output units, one row each
 * @param scope what {@code match} names
 */
public record TransferRule(TensorMatch match, Optional<String> source, Transform transform, Mode mode,
        Optional<UnitMask> units, Scope scope) {

    /** What a rule's pattern names. */
    public enum Scope {
        /** Target tensors, such as {@code features.4.weight}. */
        TENSORS,
        /**
         * Modules holding attention heads, such as {@code encoder.layer.3.attention.self}: the rule
         * selects ({@code select_units}) or masks ({@code units}) their heads, and says nothing else.
         */
        HEADS
    }

    /**
     * @throws TransferException if the units are not whole output units, or a heads rule has a
     *     source, a mode other than the default or a transform other than copy, select_units or
     *     net2wider
     */
    public TransferRule {
        units.ifPresent(u -> {
            if (u.dim() != 0 || u.block() != 1) {
                throw new TransferException("a rule's units are output units, one row each");
            }
        });
        if (scope == Scope.HEADS && (source.isPresent() || !mode.equals(new Mode.FineTune(1))
                || !transform.keepsHeadsWhole())) {
            throw new TransferException("a heads rule takes only transform (select_units) and units; the tensors'"
                    + " own rules give source and mode");
        }
    }

    /** A rule on target tensors. */
    public TransferRule(TensorMatch match, Optional<String> source, Transform transform, Mode mode,
            Optional<UnitMask> units) {
        this(match, source, transform, mode, units, Scope.TENSORS);
    }

    /** A rule that copies matching tensors under the same name and fine-tunes them. */
    public static TransferRule copy(TensorMatch match, Mode mode) {
        return new TransferRule(match, Optional.empty(), new Transform.Copy(), mode, Optional.empty());
    }

    /** A heads rule: selects ({@code select_units}) or masks the heads of the modules {@code match} names. */
    public static TransferRule heads(TensorMatch match, Transform transform, Optional<UnitMask> units) {
        return new TransferRule(match, Optional.empty(), transform, new Mode.FineTune(1), units, Scope.HEADS);
    }

    /** The match on a target tensor's name; never for a heads rule. */
    public Optional<Matcher> matchTensor(String name) {
        return scope == Scope.TENSORS ? match.match(name) : Optional.empty();
    }

    /** Whether this is a heads rule naming module {@code layer}. */
    public boolean namesHeadsOf(String layer) {
        return scope == Scope.HEADS && match.match(layer).isPresent();
    }
}
