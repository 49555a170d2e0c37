package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.RunRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paired statistics against values worked out by hand (closed forms noted at each). */
class PairedComparisonTest {

    /** Seeds 0, 1, 2 of a strategy, with k/30 correct test samples each. */
    static List<RunRecord> runs(String strategy, int shots, int... correct) {
        List<RunRecord> out = new ArrayList<>();
        for (int s = 0; s < correct.length; s++) {
            out.add(SampleResults.run(strategy, shots, s, correct[s] / 30.0, null));
        }
        return out;
    }

    @Test
    void signTestIsTheExactBinomialTail() {
        assertEquals(0.25, PairedComparison.signTest(3, 0), 1e-15); // 2 · 1/8
        assertEquals(1.0, PairedComparison.signTest(2, 1), 1e-15); // 2 · 4/8, capped
        assertEquals(0.0625, PairedComparison.signTest(0, 5), 1e-15); // 2 · 1/32
        assertEquals(0.03125, PairedComparison.signTest(6, 0), 1e-15); // 2 · 1/64
        assertEquals(2 * (1 + 10 + 45) / 1024.0, PairedComparison.signTest(8, 2), 1e-15);
        assertEquals(1.0, PairedComparison.signTest(0, 0), 1e-15);
    }

    @Test
    void studentTailMatchesClosedForms() {
        // df 1 is Cauchy: P(|T| ≥ 1) = 1/2; df 2: P(|T| ≥ t) = 1 − t / √(2 + t²)
        assertEquals(0.5, PairedComparison.studentTwoSided(1, 1), 1e-12);
        assertEquals(1 - 2 / Math.sqrt(6), PairedComparison.studentTwoSided(2, 2), 1e-12);
        assertEquals(1 - 8 / Math.sqrt(66), PairedComparison.studentTwoSided(-8, 2), 1e-12);
        // the textbook critical values: t(0.975; 4) = 2.776445, t(0.975; 10) = 2.228139
        assertEquals(0.05, PairedComparison.studentTwoSided(2.776445, 4), 1e-6);
        assertEquals(0.05, PairedComparison.studentTwoSided(2.228139, 10), 1e-6);
        assertEquals(1.0, PairedComparison.studentTwoSided(0, 7), 1e-12);
    }

    @Test
    void aWinnerNeedsEveryPairedComparisonToPass() {
        List<RunRecord> all = new ArrayList<>();
        all.addAll(runs("a", 5, 21, 24, 27)); // mean 0.8
        all.addAll(runs("b", 5, 18, 22, 24)); // a − b = (3, 2, 3)/30
        all.addAll(runs("c", 5, 20, 21, 26)); // a − c = (1, 3, 1)/30
        PairedComparison pc = PairedComparison.of(all).get(0);
        assertEquals("a", pc.best());
        assertEquals(0.8, pc.accuracy().mean(), 1e-12);

        PairedComparison.Pair b = pc.pairs().get(0);
        assertEquals("b", b.other());
        // mean 8/90, sd √(1/3)/30, t = (8/3) / (√(1/3)/√3) = 8, p = 1 − 8/√66 = 0.015268
        assertEquals(8 / 90.0, b.difference().mean(), 1e-12);
        assertEquals(Math.sqrt(1 / 3.0) / 30, b.difference().sd(), 1e-12);
        assertEquals(0.015268, b.tP(), 1e-6);
        assertEquals(0.25, b.signP(), 1e-15);
        assertEquals(List.of(3, 0, 0), List.of(b.wins(), b.losses(), b.ties()));
        assertTrue(b.significant());

        PairedComparison.Pair c = pc.pairs().get(1);
        // mean 5/90, sd √(4/3)/30, t = 2.5, p = 1 − 2.5/√8.25 = 0.129612
        assertEquals(5 / 90.0, c.difference().mean(), 1e-12);
        assertEquals(Math.sqrt(4 / 3.0) / 30, c.difference().sd(), 1e-12);
        assertEquals(0.129612, c.tP(), 1e-6);
        assertFalse(c.significant());
        assertFalse(pc.clearWinner(), "c is not beaten at p < 0.05");

        PairedComparison ab = PairedComparison.of(all.stream().filter(r -> !r.strategy().equals("c")).toList()).get(0);
        assertTrue(ab.clearWinner(), "a beats b on every seed with p = 0.015");
    }

    @Test
    void theIssuesCaseIsNoClearWinner() {
        // 0.687 against 0.687 against 0.682 at 5 shots: differences far inside the seeds' spread
        List<RunRecord> all = new ArrayList<>();
        all.addAll(runs("partial", 5, 20, 22, 20)); // 0.6889
        all.addAll(runs("finetune", 5, 21, 20, 21)); // 0.6889: a tie on the mean, partial ran first
        all.addAll(runs("scratch", 5, 22, 19, 20)); // 0.6778
        PairedComparison pc = PairedComparison.of(all).get(0);
        assertEquals("partial", pc.best());
        assertFalse(pc.clearWinner());
        PairedComparison.Pair f = pc.pairs().get(0);
        assertEquals(0, f.difference().mean(), 1e-12);
        assertEquals(List.of(1, 2, 0), List.of(f.wins(), f.losses(), f.ties()));
        assertEquals(1.0, f.tP(), 1e-12);
    }

    @Test
    void onlySharedSeedsArePairedAndShotsAreSeparate() {
        List<RunRecord> all = new ArrayList<>();
        all.addAll(runs("a", 5, 24, 24, 24));
        all.addAll(runs("b", 5, 21, 21)); // seeds 0 and 1 only
        all.addAll(runs("a", 0, 27));
        all.addAll(runs("b", 0, 27));
        all.addAll(runs("a", 10, 25, 26));
        List<PairedComparison> pcs = PairedComparison.of(all);
        assertEquals(List.of(5, 10, 0), pcs.stream().map(PairedComparison::shots).toList(), "'all' last");
        PairedComparison.Pair b5 = pcs.get(0).pairs().get(0);
        assertEquals(2, b5.difference().n());
        assertEquals(0.0, b5.tP(), "identical non-zero differences: sd 0, p 0");
        assertTrue(pcs.get(0).clearWinner());
        assertTrue(Double.isNaN(pcs.get(2).pairs().get(0).tP()), "one shared seed: no t-test");
        assertFalse(pcs.get(2).clearWinner());
        assertFalse(pcs.get(1).clearWinner(), "a strategy alone has nobody to beat");
    }
}
