package dev.graft.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.Comparison;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on the shipped source and target tasks, with the shipped source checkpoint. */
class RetentionTest {
    @TempDir
    Path dir;

    Prepared experiment(String name, String rest) throws IOException {
        return dev.graft.testing.ShippedTask.prepare(dir, name, "shots: [10]\nseeds: [0]\n" + rest);
    }

    /** With the shipped source task as the retention section. */
    Prepared experiment(String strategies, String retentionExtra, int epochs) throws IOException {
        return experiment("retention", """
                retention:
                  data:
                    train_images: $ROOT/data/fashion/source-train-images-idx3-ubyte.gz
                    train_labels: $ROOT/data/fashion/source-train-labels-idx1-ubyte.gz
                    test_images: $ROOT/data/fashion/source-test-images-idx3-ubyte.gz
                    test_labels: $ROOT/data/fashion/source-test-labels-idx1-ubyte.gz
                    classes: [0, 1, 3, 5, 8]
                    normalize: {mean: [0.286], std: [0.353]}
                  test_per_class: 100
                %s
                train: {epochs: %d, batch_size: 25, lr: 0.001}
                strategies: %s
                """.formatted(retentionExtra, epochs, strategies));
    }

    @Test
    void aFrozenTrunkForgetsNothingAndFineTuningForgets() throws IOException {
        Prepared p = experiment("[head_only, full, scratch]", "", 4);
        assertEquals("classifier.4", p.sourceTask().head(), "the spec's head by default");
        List<RunRecord> runs = ExperimentRunner.compare(p, ExperimentRunner.strategies(p), ExperimentRunner.Progress.NONE);
        double before = runs.get(0).retention().before();
        assertTrue(before > 0.9, "the shipped source model knows its task: " + before);
        // head_only freezes everything the source head reads (weights and BatchNorm statistics)
        assertEquals(0.0, runs.get(0).retention().forgetting(), "exactly zero");
        assertTrue(runs.get(1).retention().forgetting() != 0, "full fine-tuning moves the trunk");
        assertTrue(runs.get(2).retention().forgetting() > 0.3, "a trunk trained from scratch has forgotten the source: "
                + runs.get(2).retention());
        assertTrue(new Comparison(runs).table().contains("forgetting"));
    }

    @Test
    void lwfAndEwcRunFromYamlAndHoldTheSourceTask() throws IOException {
        // 20 epochs at Adam's usual rate: in a handful of large steps nothing holds anything
        Prepared p = experiment("""
                [full, {name: lwf, base: full, train: {regularization: {lwf: 10.0}}},
                 {name: ewc, base: full, train: {regularization: {ewc: 10000.0}}}]""", "  fisher_samples: 50", 20);
        List<RunRecord> runs = ExperimentRunner.compare(p, ExperimentRunner.strategies(p), ExperimentRunner.Progress.NONE);
        double full = runs.get(0).retention().forgetting();
        double lwf = runs.get(1).retention().forgetting();
        double ewc = runs.get(2).retention().forgetting();
        assertTrue(lwf < full && ewc < full, "full " + full + ", lwf " + lwf + ", ewc " + ewc);
    }

    @Test
    void protectionWithoutASourceTaskIsAClearError() throws IOException {
        Prepared p = experiment("plain", """
                train: {epochs: 1, regularization: {ewc: 1.0}}
                strategies: [full]
                """);
        GraftInputException e = assertThrows(GraftInputException.class, () -> ExperimentRunner.compare(p,
                ExperimentRunner.strategies(p), ExperimentRunner.Progress.NONE));
        assertTrue(e.getMessage().contains("need a 'retention' section"), e.getMessage());
    }
}
