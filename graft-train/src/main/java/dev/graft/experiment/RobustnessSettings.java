package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.robust.Attack;
import dev.graft.robust.InputRange;
import dev.graft.robust.RobustAccuracy;

/** An experiment's {@code robustness} section, read into an attack and applied to test metrics. */
public final class RobustnessSettings {
    private RobustnessSettings() {}

    /**
     * The attack a {@code robustness} section describes.
     *
     * @param r the section, or null
     * @param where the section's place, for messages
     * @return the attack, or null when {@code r} is null
     * @throws GraftInputException naming the key if the attack is unknown, ε is missing or negative,
     *     steps is below 1 (or given for fgsm other than 1), or the step size is not positive
     */
    public static Attack attack(ExperimentConfig.RobustnessSection r, String where) {
        if (r == null) {
            return null;
        }
        Attack.Method method = r.attack() == null ? Attack.Method.PGD : Attack.Method.named(r.attack());
        if (method == null) {
            throw new GraftInputException(where + ".attack: must be fgsm or pgd, got '" + r.attack() + "'");
        }
        if (r.eps() == null) {
            throw new GraftInputException(where + ".eps: required (the L∞ radius, in normalized input units)");
        }
        if (!(r.eps() >= 0) || r.eps().isInfinite()) {
            throw new GraftInputException(where + ".eps: must be a finite number ≥ 0, got " + r.eps());
        }
        if (method == Attack.Method.FGSM) {
            if (r.steps() != null && r.steps() != 1 || r.stepSize() != null) {
                // they would be ignored without a word: FGSM is one step of ε
                throw new GraftInputException(where + ": fgsm takes one step of eps; steps and step_size are pgd's");
            }
            return Attack.fgsm(r.eps());
        }
        int steps = r.steps() == null ? 10 : r.steps();
        if (steps < 1) {
            throw new GraftInputException(where + ".steps: must be at least 1, got " + steps);
        }
        double step = r.stepSize() == null ? 2.5 * r.eps() / steps : r.stepSize();
        if (!(step > 0) || Double.isInfinite(step)) {
            if (r.eps() == 0 && r.stepSize() == null) {
                step = 0;
            } else {
                throw new GraftInputException(where + ".step_size: must be a finite number > 0, got " + step);
            }
        }
        return Attack.pgd(r.eps(), steps, step);
    }

    /**
     * {@code clean} with the robust accuracy of {@code model} on {@code test} under the
     * experiment's attack, or {@code clean} unchanged when it names none.
     */
    public static ClassificationMetrics measure(Prepared p, GraftModel model, Examples test, ClassificationMetrics clean) {
        Attack attack = attack(p.config().robustness(), p.file() + ": robustness");
        if (attack == null) {
            return clean;
        }
        InputRange range = InputRange.of(test.sampleShape(), p.data().normalization());
        return clean.withRobustAccuracy(RobustAccuracy.of(model, test, attack, range, 256));
    }
}
