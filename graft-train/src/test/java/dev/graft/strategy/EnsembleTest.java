package dev.graft.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {
    @TempDir
    Path dir;

    @Test
    void averagingAndVotingDisagreeWhereTheyShould() {
        // one sample, three classes: two members lean to class 1 a little, one is sure of class 0
        List<float[]> p = List.of(new float[] {0.40f, 0.45f, 0.15f}, new float[] {0.40f, 0.45f, 0.15f},
                new float[] {0.98f, 0.01f, 0.01f});
        assertArrayEquals(new int[] {0}, Ensemble.AVERAGE.predict(p, 1, 3), "mean (0.593, 0.303, 0.103)");
        assertArrayEquals(new int[] {1}, Ensemble.MAJORITY.predict(p, 1, 3), "two votes for class 1");
        // a tie of votes goes to the tied class of higher mean probability
        List<float[]> tie = List.of(new float[] {0.6f, 0.4f}, new float[] {0.1f, 0.9f});
        assertArrayEquals(new int[] {1}, Ensemble.MAJORITY.predict(tie, 1, 2));
        float[] s = Ensemble.softmax(new float[] {0, (float) Math.log(3)}, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f}, s, 1e-6f);
    }

    @Test
    void anEnsembleOfStrategiesRunsFromYaml() throws Exception {
        Prepared p = dev.graft.testing.ShippedTask.prepare(dir, "ensemble", """
                train: {epochs: 3, batch_size: 25}
                strategies:
                  - partial
                  - full
                  - {name: slow, base: full, train: {lr: 0.0003}}
                  - {name: trio, base: ensemble, ensemble: {members: [partial, full, slow]}}
                  - {name: vote, base: ensemble, ensemble: {members: [partial, full, slow], vote: majority}}
                  - {name: same, base: ensemble, ensemble: {members: [full, full, full]}}
                shots: [5]
                seeds: [0]
                """);
        List<ComparedStrategy> strategies = ExperimentRunner.comparedStrategies(p, (s, w) -> Optional.empty());
        List<RunRecord> runs = ExperimentRunner.compare(p, strategies, ExperimentRunner.Progress.NONE);
        RunRecord trio = runs.get(3);
        assertEquals("average of 3: partial + full + slow", trio.message());
        assertEquals("majority of 3: partial + full + slow", runs.get(4).message());
        assertTrue(trio.accuracy() > 0.3, "better than chance: " + trio.accuracy());
        // members are the same seeded fine-tunes as the strategies alone: three copies of full
        // average to full's own predictions, confusion matrix and all
        assertEquals(runs.get(1).accuracy(), runs.get(5).accuracy());
        assertArrayEquals(runs.get(1).test().confusion(), runs.get(5).test().confusion());
    }
}
