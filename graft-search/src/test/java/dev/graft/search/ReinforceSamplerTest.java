package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReinforceSamplerTest {
    static final SearchSpace SPACE = new SearchSpace(List.of(Dimension.categorical("d", List.of("a", "b"))));

    static Trial done(int number, int choice, double value) {
        return new Trial(number, new int[] {choice}, TrialState.COMPLETE, value, List.of(), "");
    }

    @Test
    void theFirstValueSetsTheBaselineAndLaterOnesMoveTheLogitsByTheNormalizedAdvantage() {
        ReinforceSampler s = new ReinforceSampler(new ReinforceSampler.Config(0.5, 0.8), 1);
        s.observe(SPACE, done(0, 1, 1.0));
        assertArrayEquals(new double[] {0.5, 0.5}, s.policy(0), 1e-12, "a baseline only");
        // advantage 3 − 1 = 2, scale |2| → normalized 1; θ += 0.5·1·(onehot(a) − π) = (+0.25, −0.25)
        s.observe(SPACE, done(1, 0, 3.0));
        double p0 = 1 / (1 + Math.exp(-0.5));
        assertArrayEquals(new double[] {p0, 1 - p0}, s.policy(0), 1e-12);
        // baseline 0.8·1 + 0.2·3 = 1.4; value 1.4 on choice 1: no advantage, no change
        s.observe(SPACE, done(2, 1, 1.4));
        assertArrayEquals(new double[] {p0, 1 - p0}, s.policy(0), 1e-12);
        // a failed trial teaches nothing
        s.observe(SPACE, new Trial(3, new int[] {1}, TrialState.FAILED, Double.NaN, List.of(), "diverged"));
        assertArrayEquals(new double[] {p0, 1 - p0}, s.policy(0), 1e-12);
    }
}
