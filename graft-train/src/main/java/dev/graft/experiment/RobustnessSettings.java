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
        return attack(r.attack(), "attack", r.eps(), r.steps(), r.stepSize(), where);
    }

    /**
     * The attack keys describe, as a {@code robustness} section or a training section's
     * {@code adversarial} reads them (one parser, so both mean the same by the same keys).
     *
     * @param method {@code fgsm} or {@code pgd}, or null for pgd
     * @param methodKey the method's key, for messages ({@code attack} or {@code method})
     * @param where the section's place, for messages
     * @throws GraftInputException naming the key, as {@link #attack(ExperimentConfig.RobustnessSection, String)}
     */
    public static Attack attack(String method, String methodKey, Double eps, Integer steps, Double stepSize,
            String where) {
        Attack.Method m = method == null ? Attack.Method.PGD : Attack.Method.named(method);
        if (m == null) {
            throw new GraftInputException(where + "." + methodKey + ": must be fgsm or pgd, got '" + method + "'");
        }
        if (eps == null) {
            throw new GraftInputException(where + ".eps: required (the L∞ radius, in normalized input units)");
        }
        if (!(eps >= 0) || eps.isInfinite()) {
            throw new GraftInputException(where + ".eps: must be a finite number ≥ 0, got " + eps);
        }
        if (m == Attack.Method.FGSM) {
            if (steps != null && steps != 1 || stepSize != null) {
                // they would be ignored without a word: FGSM is one step of ε
                throw new GraftInputException(where + ": fgsm takes one step of eps; steps and step_size are pgd's");
            }
            return Attack.fgsm(eps);
        }
        int n = steps == null ? 10 : steps;
        if (n < 1) {
            throw new GraftInputException(where + ".steps: must be at least 1, got " + n);
        }
        double step = stepSize == null ? 2.5 * eps / n : stepSize;
        if (!(step > 0) || Double.isInfinite(step)) {
            if (eps == 0 && stepSize == null) {
                step = 0;
            } else {
                throw new GraftInputException(where + ".step_size: must be a finite number > 0, got " + step);
            }
        }
        return Attack.pgd(eps, n, step);
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
