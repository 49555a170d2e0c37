package dev.graft.search;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig;
import java.util.Locale;

/**
 * How a policy's value is estimated from the labelled images (see docs/concepts.md, "Fitness and
 * selection").
 *
 * @param method holdout, k-fold or repeated training seeds
 * @param folds k of k-fold (at least 2; unused otherwise)
 * @param repeats k-fold's repetitions with fresh folds, or the training seeds of repeated
 */
public record Fitness(Method method, int folds, int repeats) {

    /** The estimators. */
    public enum Method {
        /** One fine-tune on the shots, scored on the validation images (the cheapest, the noisiest). */
        HOLDOUT,
        /** Stratified k-fold cross-validation over shots and validation images together. */
        KFOLD,
        /** The holdout fine-tune with several training seeds. */
        REPEATED
    }

    /** The holdout: one fine-tune per policy. */
    public static final Fitness HOLDOUT = new Fitness(Method.HOLDOUT, 0, 1);

    /**
     * Resolves a {@code fitness} section. The default is 2-fold cross-validation once: on the
     * Fashion benchmark (BENCHMARKS.md, "Policy search that generalizes") the holdout's 50
     * validation images made its winners overfit them (validation 8-10 points above test), while
     * 2 folds, with the hand strategies as candidates, fit the budget of 24 fine-tunes
     * and closed that gap; more folds cost more per policy and were not measured. Pruning and
     * several objectives need a per-epoch validation value, which only the holdout has, so with
     * either the default is holdout.
     *
     * @param pruned whether a pruner is set
     * @param multiple whether the search has several objectives
     * @throws GraftInputException for an unknown method, bad counts, or kfold/repeated with a pruner or
     *     several objectives (the message names the key)
     */
    public static Fitness of(ExperimentConfig.FitnessSection f, boolean pruned, boolean multiple, String where) {
        String method = f == null || f.method() == null ? (pruned || multiple ? "holdout" : "kfold")
                : f.method().toLowerCase(Locale.ROOT);
        Method m;
        try {
            m = Method.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(where + ".fitness.method: unknown method '" + method
                    + "' (holdout, kfold, repeated)");
        }
        if (m != Method.HOLDOUT && (pruned || multiple)) {
            throw new GraftInputException(where + ".fitness.method: " + method + " gives no validation value per "
                    + "epoch, which " + (pruned ? "the pruner needs; use pruner: none" : "several objectives need")
                    + ", or method: holdout");
        }
        // a count the method does not use would be ignored without a word
        if (f != null && f.folds() != null && m != Method.KFOLD) {
            throw new GraftInputException(where + ".fitness.folds: only kfold has folds (method is " + method + ")");
        }
        if (f != null && f.repeats() != null && m == Method.HOLDOUT) {
            throw new GraftInputException(where + ".fitness.repeats: holdout has no repeats; use method: repeated");
        }
        int folds = f == null || f.folds() == null ? 2 : f.folds();
        if (folds < 2) {
            throw new GraftInputException(where + ".fitness.folds: must be at least 2");
        }
        int repeats = f == null || f.repeats() == null ? (m == Method.REPEATED ? 3 : 1) : f.repeats();
        if (repeats < 1) {
            throw new GraftInputException(where + ".fitness.repeats: must be at least 1");
        }
        return new Fitness(m, folds, repeats);
    }

    /** Fine-tunes one estimate costs. */
    public int fineTunes() {
        return switch (method) {
            case HOLDOUT -> 1;
            case KFOLD -> folds * repeats;
            case REPEATED -> repeats;
        };
    }

    /** In one line, as results and the command line show it. */
    public String describe() {
        return switch (method) {
            case HOLDOUT -> "holdout";
            case KFOLD -> folds + "-fold cross-validation" + (repeats > 1 ? " x " + repeats : "");
            case REPEATED -> "holdout x " + repeats + " training seeds";
        };
    }
}
