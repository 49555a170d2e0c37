package dev.graft.search;

import dev.graft.data.Examples;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RobustnessSettings;
import dev.graft.model.GraftModel;
import dev.graft.robust.Attack;
import dev.graft.robust.InputRange;
import dev.graft.robust.RobustAccuracy;

/**
 * The search objective {@code robustness}: a trained policy's accuracy on the validation split
 * under the experiment's {@code robustness} attack, with the ε-ball and clamping the test-set
 * metric uses, so that the search and the final report measure the same thing. Stateless.
 */
final class ValidationRobustness {
    private ValidationRobustness() {}

    /**
     * @param validation the validation split, normalized as the model was trained
     * @return the share of validation samples still classified correctly under the attack, in [0, 1]
     * @throws IllegalStateException if the experiment has no {@code robustness} section (the search
     *     settings refuse the objective before any trial then)
     */
    static double of(Prepared experiment, GraftModel model, Examples validation) {
        Attack attack = RobustnessSettings.attack(experiment.config().robustness(), experiment.file() + ": robustness");
        if (attack == null) {
            throw new IllegalStateException("the robustness objective without a robustness section");
        }
        InputRange range = InputRange.of(validation.sampleShape(), experiment.data().normalization());
        return RobustAccuracy.of(model, validation, attack, range, 256);
    }
}
