package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.metrics.MetricName;
import dev.graft.metrics.RegressionMetrics;
import dev.graft.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A regression from YAML: training, metrics, early stopping on RMSE, and the refusals that name the key. */
class RegressionExperimentTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The fashion-ink example's data section, trained from scratch for a few epochs. */
    private Path experiment(String task, String extra) throws Exception {
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: ink
                %3$s
                model: %1$s/examples/specs/ink-mlp.yaml
                output: %2$s
                data:
                  format: csv
                  train_images: %1$s/examples/data/fashion-ink/train.csv
                  test_images: %1$s/examples/data/fashion-ink/test.csv
                  csv: {label: ink}
                  validation_fraction: 0.25
                train: {optimizer: adam, lr: 0.003, epochs: 4, batch_size: 32}
                strategies: [scratch]
                seeds: [0]
                %4$s
                """.formatted(ROOT, dir.resolve("out"), task, extra));
        return exp;
    }

    private Prepared prepare(Path exp) {
        return ExperimentRunner.prepare(ExperimentLoader.read(exp), exp, ExperimentRunner.Progress.NONE);
    }

    @Test
    void trainsAndMeasuresInTheTargetsUnits() throws Exception {
        Prepared p = prepare(experiment("task: {type: regression, loss: huber}", ""));
        assertTrue(p.data().pool().regression());
        assertEquals(List.of("ink"), p.data().classNames());
        assertEquals(MetricName.RMSE, p.train().earlyStopping().metric());
        RunRecord r = ExperimentRunner.compare(p, ExperimentRunner.comparedStrategies(p, (s, w) -> Optional.empty()),
                ExperimentRunner.Progress.NONE).get(0);
        assertEquals(TrainResult.Status.COMPLETED, r.status());
        RegressionMetrics m = r.test().regression();
        assertNotNull(m);
        assertEquals(200, m.truth().length);
        // the recorded metrics are those of the recorded predictions, in the target's units
        double sse = 0;
        double mean = 0;
        for (double y : m.truth()) {
            mean += y / m.truth().length;
        }
        double sst = 0;
        for (int i = 0; i < m.truth().length; i++) {
            sse += (m.truth()[i] - m.predicted()[i]) * (m.truth()[i] - m.predicted()[i]);
            sst += (m.truth()[i] - mean) * (m.truth()[i] - mean);
        }
        assertEquals(Math.sqrt(sse / 200), m.rmse(), 1e-9);
        assertEquals(1 - sse / sst, m.r2(), 1e-9);
        // the truth is the CSV's last column as written: the first test row's ink
        String firstRow = Files.readAllLines(ROOT.resolve("examples/data/fashion-ink/test.csv")).get(1);
        assertEquals(Double.parseDouble(firstRow.substring(firstRow.lastIndexOf(',') + 1)), m.truth()[0], 1e-6);
        // shares of pixels lie in [0, 1]: RMSE far below 1 after four epochs, and R² above zero
        assertTrue(m.rmse() < 0.2 && m.r2() > 0, m.rmse() + " " + m.r2());
        // the validation history records RMSE in the target's units
        assertTrue(r.history().stream().allMatch(e -> e.validation() > 0 && e.validation() < 0.5));
        Preprocessing pre = Preprocessing.of(p.config().data(), p.data(), p.dir());
        Preprocessing back = Preprocessing.fromMetadata(java.util.Map.of(Preprocessing.KEY, pre.toJson()), "x");
        assertEquals(p.data().pool().targets().mean(), back.target().mean(), 1e-12);
        assertEquals("huber", back.target().loss());
    }

    @Test
    void aRealValuedLabelColumnWithoutATaskIsRefusedNamingFileAndColumn() throws Exception {
        GraftInputException e = assertThrows(GraftInputException.class, () -> prepare(experiment("", "")));
        assertTrue(e.getMessage().contains("fashion-ink/train.csv") && e.getMessage().contains("'ink'")
                && e.getMessage().contains("task: regression"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // task: classification keeps them as class names: the test file's values are then unknown classes
        GraftInputException c = assertThrows(GraftInputException.class,
                () -> prepare(experiment("task: classification", "")));
        assertTrue(c.getMessage().contains("is not a training class"), c.getMessage());
    }

    @Test
    void classificationOnlyOptionsAreRefusedByKey() throws Exception {
        String[][] tasks = {
            {"task: {type: regression, loss: hinge}", "task.loss"},
            {"task: {type: regression, huber_delta: 2}", "task.huber_delta"},
            {"task: {type: ordinal}", "task.type"},
        };
        for (String[] c : tasks) {
            GraftInputException e = assertThrows(GraftInputException.class, () -> prepare(experiment(c[0], "")));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        String[][] train = {
            {"label_smoothing: 0.1", "train.label_smoothing"},
            {"imbalance: smote", "train.imbalance"},
            {"early_stopping: {metric: accuracy, patience: 2}", "train.early_stopping.metric"},
            {"head_fit: converged", "train.head_fit"},
        };
        for (String[] t : train) {
            Path exp = experiment("task: regression", "");
            Files.writeString(exp, Files.readString(exp).replace("batch_size: 32}", "batch_size: 32, " + t[0] + "}"));
            GraftInputException e = assertThrows(GraftInputException.class, () -> prepare(exp));
            assertTrue(e.getMessage().contains(t[1]), t[0] + ": " + e.getMessage());
        }
        Path ens = experiment("task: regression", "");
        Files.writeString(ens, Files.readString(ens).replace("strategies: [scratch]",
                "strategies:\n  - {name: vote, base: ensemble}"));
        GraftInputException e = assertThrows(GraftInputException.class, () -> prepare(ens));
        assertTrue(e.getMessage().contains("strategies[0].base"), e.getMessage());
        // the classical head graft search would fit on every trial classifies: refused at the top level too
        Path head = experiment("task: regression", "head: {type: knn}");
        e = assertThrows(GraftInputException.class, () -> prepare(head));
        assertTrue(e.getMessage().contains(": head: a classical head"), e.getMessage());
        Path pairs = experiment("task: regression", "contrastive: {iterations: 2}");
        e = assertThrows(GraftInputException.class, () -> prepare(pairs));
        assertTrue(e.getMessage().contains(": contrastive: a classical head"), e.getMessage());
        Path robust = experiment("task: regression", "robustness: {attack: fgsm, eps: 0.1}");
        e = assertThrows(GraftInputException.class, () -> prepare(robust));
        assertTrue(e.getMessage().contains("robustness"), e.getMessage());
        Path classes = experiment("task: regression", "");
        Files.writeString(classes, Files.readString(classes).replace("csv: {label: ink}",
                "csv: {label: ink}\n  class_names: [a]"));
        e = assertThrows(GraftInputException.class, () -> prepare(classes));
        assertTrue(e.getMessage().contains("data.class_names"), e.getMessage());
        Path rmseForClasses = experiment("task: classification", "");
        Files.writeString(rmseForClasses, Files.readString(rmseForClasses).replace("batch_size: 32}",
                "batch_size: 32, early_stopping: {metric: rmse}}"));
        e = assertThrows(GraftInputException.class, () -> prepare(rmseForClasses));
        assertTrue(e.getMessage().contains("train.early_stopping.metric"), e.getMessage());
    }

    @Test
    void aModelWithSeveralOutputsIsRefused() throws Exception {
        Path exp = experiment("task: regression", "");
        Path spec = dir.resolve("three.yaml");
        Files.writeString(spec, Files.readString(ROOT.resolve("examples/specs/ink-mlp.yaml")).replace("out: 1", "out: 3"));
        Files.writeString(exp, Files.readString(exp).replace(ROOT + "/examples/specs/ink-mlp.yaml", spec.toString()));
        GraftInputException e = assertThrows(GraftInputException.class, () -> prepare(exp));
        assertTrue(e.getMessage().contains("out: 1"), e.getMessage());
    }
}
