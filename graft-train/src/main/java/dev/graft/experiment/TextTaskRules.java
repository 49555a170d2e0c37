package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig.AugmentSection;
import dev.graft.experiment.ExperimentConfig.TrainSection;
import java.util.List;
import java.util.Locale;

/**
 * The experiment options a text task refuses: those that treat sample values as measurements.
 * Token ids name tokens, so image augmentation (crops, flips, rotations, mixup, CutMix), SMOTE's
 * interpolation and an adversarial attack's small steps (measured, or trained on) would each turn
 * ids into the ids of other tokens, or into no token at all, and train or measure on nonsense
 * without a word. Each is
 * refused in one line naming the key. (Normalization and domain shifts are refused where the data
 * is read, by {@link TaskData}.) Stateless.
 */
final class TextTaskRules {
    private TextTaskRules() {}

    /**
     * Checks an experiment whose target data are texts.
     *
     * @param label the experiment file, for messages
     * @throws GraftInputException naming the first refused key
     */
    static void check(ExperimentConfig c, String label) {
        if (c.robustness() != null) {
            throw new GraftInputException(label + ": robustness: adversarial attacks perturb pixel or feature values; "
                    + "text samples are token ids, so robustness is for image and CSV tasks only for now");
        }
        train(c.train(), label + ": train");
        List<ExperimentConfig.StrategySpec> strategies = c.strategies() == null ? List.of() : c.strategies();
        for (int i = 0; i < strategies.size(); i++) {
            ExperimentConfig.StrategySpec s = strategies.get(i);
            if (s != null) {
                train(s.train(), label + ": strategies[" + i + "].train");
            }
        }
    }

    /**
     * Refuses a text task whose tokenizer disagrees with the model (see {@link TokenAgreement}).
     *
     * @throws GraftInputException naming the tokenizer, the model's spec and both values
     */
    static void requireTokens(TaskData data, dev.graft.model.ModelLayout layout, String label) {
        TextSummary text = data.report().text();
        if (text != null) {
            TokenAgreement.require(layout, text.padId(), text.tokenizer(), label, data.pool(), data.test());
        }
    }

    /**
     * Checks a training section that trains on texts.
     *
     * @param where the section's key, for messages ({@code exp.yaml: train})
     * @throws GraftInputException naming the refused key
     */
    static void train(TrainSection t, String where) {
        if (t == null) {
            return;
        }
        if (augments(t.augment())) {
            throw new GraftInputException(where + ".augment: image augmentation (crops, flips, rotation, mixup, "
                    + "CutMix) would turn token ids into other tokens' ids; leave it out for text");
        }
        if (t.adversarial() != null && !"none".equalsIgnoreCase(t.adversarial().method())) {
            throw new GraftInputException(where + ".adversarial: adversarial examples are small steps on pixel or "
                    + "feature values; text samples are token ids, so adversarial training is for image and CSV tasks "
                    + "only for now");
        }
        if (t.imbalance() != null && t.imbalance().toLowerCase(Locale.ROOT).equals("smote")) {
            throw new GraftInputException(where + ".imbalance: smote interpolates between samples, which turns "
                    + "token ids into other tokens' ids; use class_weights or oversample for text");
        }
    }

    /** Whether the section turns any augmentation on (zero and false leave it off). */
    private static boolean augments(AugmentSection a) {
        return a != null && ((a.cropPadding() != null && a.cropPadding() > 0) || Boolean.TRUE.equals(a.flip())
                || positive(a.rotation()) || positive(a.mixup()) || positive(a.cutmix()));
    }

    private static boolean positive(Double v) {
        return v != null && v > 0;
    }
}
