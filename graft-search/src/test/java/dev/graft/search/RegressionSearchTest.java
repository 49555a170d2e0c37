package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.metrics.MetricName;
import dev.graft.train.OptimizerKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A regression's search minimizes validation RMSE: it maximizes −RMSE, the value every sampler sees. */
class RegressionSearchTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static String experiment(String task, String search) {
        String data = """
                  format: csv
                  train_images: %1$s/examples/data/fashion-ink/train.csv
                  csv: {label: ink}
                """.formatted(ROOT);
        return """
                name: ink-search
                %2$s
                model: %1$s/examples/specs/ink-mlp.yaml
                source:
                  pretrain:
                    data:
                %3$s    train: {epochs: 2, batch_size: 64}
                data:
                %4$s  test_images: %1$s/examples/data/fashion-ink/test.csv
                  validation_fraction: 0.25
                train: {optimizer: adam, lr: 0.003, epochs: 2, batch_size: 32}
                %5$s
                """.formatted(ROOT, task, data.indent(4), data, search);
    }

    @Test
    void theSearchMaximizesMinusValidationRmse() {
        ExperimentConfig c = ExperimentLoader.parse("s", experiment("task: regression", "search: {trials: 1}"));
        SearchSettings s = SearchSettings.of(c, "s: search");
        assertEquals(MetricName.RMSE, s.metric());
        assertEquals("-rmse", s.valueName());
        Prepared p = ExperimentRunner.prepare(c, ROOT.resolve("x.yaml"), ExperimentRunner.Progress.NONE);
        PolicySpace space = new PolicySpace(p.layout(), new PolicySpace.Choices(List.of(1.0), List.of(1.0),
                List.of(1e-3), List.of(0.0), List.of(OptimizerKind.ADAM), List.of(2), false));
        PolicyObjective objective = new PolicyObjective(p, space, 0, 0, s.metric());
        try (Study study = new Study(space.space(), new RandomSampler(3))) {
            Trial t = study.ask();
            PolicyObjective.Scored scored = objective.score(t.point(), ExperimentRunner.Progress.NONE);
            var run = scored.run();
            double rmse = run.history().get(run.bestEpoch() >= 0 ? run.bestEpoch() : run.history().size() - 1)
                    .validation();
            // a share of pixels: the validation RMSE is positive and below 1; the search's value is its negative
            assertTrue(rmse > 0 && rmse < 1, "validation RMSE " + rmse);
            assertEquals(-rmse, scored.value(), 1e-12);
        }
    }

    @Test
    void theMetricMustFitTheTask() {
        GraftInputException e = assertThrows(GraftInputException.class, () -> SearchSettings.of(
                ExperimentLoader.parse("s", experiment("task: regression", "search: {metric: accuracy}")), "s: search"));
        assertTrue(e.getMessage().contains("s: search.metric") && e.getMessage().contains("rmse"), e.getMessage());
        // found by a fresh user: r2 is a regression's metric, yet the message said it measured classes
        e = assertThrows(GraftInputException.class, () -> SearchSettings.of(
                ExperimentLoader.parse("s", experiment("task: regression", "search: {metric: r2}")), "s: search"));
        assertTrue(e.getMessage().contains("'r2' is not what it minimizes") && !e.getMessage().contains("classes"),
                e.getMessage());
        e = assertThrows(GraftInputException.class, () -> SearchSettings.of(
                ExperimentLoader.parse("s", experiment("", "search: {metric: rmse}")), "s: search"));
        assertTrue(e.getMessage().contains("task: regression"), e.getMessage());
    }
}
