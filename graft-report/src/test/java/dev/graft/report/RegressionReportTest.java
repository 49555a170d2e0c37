package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.RunRecord;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.RegressionMetrics;
import dev.graft.train.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A regression's report: RMSE, MAE and R² in the table (means over seeds by hand), and the scatter. */
class RegressionReportTest {

    /** Truth 0..9; predictions off by {@code error} on every sample: RMSE = MAE = error. */
    static RunRecord run(String strategy, long seed, double error) {
        double[] truth = new double[10];
        double[] pred = new double[10];
        for (int i = 0; i < 10; i++) {
            truth[i] = i;
            pred[i] = i + error;
        }
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            history.add(new TrainResult.EpochRecord(e, 1.0 / (e + 1), error + 0.1 / (e + 1), 0.01, 4, 0.1));
        }
        return new RunRecord(strategy, 0, seed, TrainResult.Status.COMPLETED, "ran", ClassificationMetrics.of(
                RegressionMetrics.of(truth, pred, 0.1)), 3, 2, 1, 1.5, history, List.of(), null, null);
    }

    @Test
    void theTableAndTheScatterShowTheRegressionMetrics() {
        RunResults results = new RunResults(Path.of("out"), "ink", null, List.of("ink"),
                List.of(run("scratch", 0, 0.1), run("scratch", 1, 0.3), run("full", 0, 0.5), run("full", 1, 0.5)),
                Optional.empty());
        String page = HtmlReport.render(results);
        // scratch: RMSE 0.1 and 0.3, mean 0.2, sd 0.1414; R² = 1 − 10e²/82.5
        assertTrue(page.contains("<td class=\"num\">0.2000 ± 0.1414</td>"), page);
        assertTrue(page.contains("<td class=\"num\">0.5000 ± 0.0000</td>"), page);
        assertTrue(page.contains("Predicted against true ink, test set"), page);
        assertTrue(page.contains("The median run of scratch"), page);
        assertTrue(page.contains("target (regression)"), page);
        assertFalse(page.contains("accuracy (mean"), page);
    }
}
