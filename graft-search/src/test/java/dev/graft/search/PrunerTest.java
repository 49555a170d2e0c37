package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrunerTest {
    static Trial trial(int n, TrialState state, Double... values) {
        return new Trial(n, new int[] {0}, state, state == TrialState.COMPLETE ? values[values.length - 1] : Double.NaN,
                List.of(values), "");
    }

    @Test
    void medianStopsTrialsBelowTheMedianOfTheirPeers() {
        List<Trial> all = new ArrayList<>(List.of(
                trial(0, TrialState.COMPLETE, 0.5, 0.6, 0.7),
                trial(1, TrialState.COMPLETE, 0.4, 0.5, 0.6),
                trial(2, TrialState.COMPLETE, 0.2, 0.3, 0.4)));
        MedianPruner p = new MedianPruner(3, 1);
        // at step 1 the peers' bests are 0.6, 0.5, 0.3: median 0.5
        assertTrue(p.shouldPrune(trial(3, TrialState.RUNNING, 0.3, 0.45), all));
        assertFalse(p.shouldPrune(trial(3, TrialState.RUNNING, 0.3, 0.55), all));
        assertFalse(p.shouldPrune(trial(3, TrialState.RUNNING, 0.0), all), "warm-up step");
        assertFalse(new MedianPruner(4, 0).shouldPrune(trial(3, TrialState.RUNNING, 0.0, 0.0), all), "too few peers");
        // the best value so far counts, not the last one
        assertFalse(p.shouldPrune(trial(3, TrialState.RUNNING, 0.9, 0.1), all));
    }

    @Test
    void successiveHalvingKeepsTheTopThirdAtEachRung() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 3);
        List<Trial> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(trial(i, TrialState.COMPLETE, 0.1 * (i + 1), 0.1 * (i + 1), 0.1 * (i + 1)));
        }
        // rung at step 0: values 0.1..0.6 plus mine; top 1/3 of 7 = 2 values
        Trial low = trial(6, TrialState.RUNNING, 0.45);
        all.add(low);
        assertTrue(p.shouldPrune(low, all));
        Trial high = trial(6, TrialState.RUNNING, 0.65);
        all.set(6, high);
        assertFalse(p.shouldPrune(high, all));
        // step 1 is not a rung (rungs at 0, 2, 8, ...)
        assertFalse(p.shouldPrune(trial(6, TrialState.RUNNING, 0.65, 0.0), all));
        assertTrue(p.shouldPrune(trial(6, TrialState.RUNNING, 0.05, 0.0, 0.0), all), "step 2 is a rung");
        // the best value so far counts at a rung, not the rung's own value
        assertFalse(p.shouldPrune(trial(6, TrialState.RUNNING, 0.65, 0.0, 0.0), all));
    }
}
