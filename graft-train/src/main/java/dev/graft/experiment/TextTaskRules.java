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
     * Refuses a tokenizer that disagrees with the text model: ids beyond its vocabulary (the engine
     * would fail mid-run), or padding filled with an id other than the one the model masks (it would
     * attend to padding and mask a real token, silently).
     *
     * @throws GraftInputException naming the tokenizer, the model's spec and both values
     */
    static void requireTokens(TaskData data, dev.graft.model.ModelLayout layout, String label) {
        java.util.Optional<dev.graft.model.TokenInput> in = layout.tokenInput();
        TextSummary text = data.report().text();
        if (in.isEmpty() || text == null) {
            return;
        }
        String model = layout.spec().source();
        if (in.get().padId() != text.padId()) {
            throw new GraftInputException(label + ": data.text.tokenizer " + text.tokenizer() + " pads with id "
                    + text.padId() + " but the model (" + model + ") masks id " + in.get().padId()
                    + " as padding; use the tokenizer the model was trained with, or set pad_token_id to "
                    + text.padId());
        }
        int high = -1;
        for (dev.graft.data.Examples e : new dev.graft.data.Examples[] {data.pool(), data.test()}) {
            if (e != null) {
                for (float id : e.features()) {
                    high = Math.max(high, (int) id);
                }
            }
        }
        if (high >= in.get().vocabSize()) {
            throw new GraftInputException(label + ": data.text.tokenizer " + text.tokenizer() + " gives token id "
                    + high + " but the model (" + model + ") has a vocabulary of " + in.get().vocabSize()
                    + " (vocab_size); use the tokenizer the model was trained with");
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
