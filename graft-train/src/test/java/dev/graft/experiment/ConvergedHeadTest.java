package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.train.Evaluator;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConvergedHeadTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path DATA = Path.of("..", "data", "fashion").toAbsolutePath().normalize();

    private static Prepared demo() {
        ExperimentConfig c = ExperimentLoader.parse("conv", """
                name: conv
                model: %s
                source: {checkpoint: %s}
                data:
                  train_images: %s/target-pool-images-idx3-ubyte.gz
                  train_labels: %s/target-pool-labels-idx1-ubyte.gz
                  test_images: %s/target-test-images-idx3-ubyte.gz
                  test_labels: %s/target-test-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                  validation_per_class: 5
                  normalize: {mean: [0.2860], std: [0.3530]}
                train: {epochs: 4, batch_size: 25}
                """.formatted(EXAMPLES.resolve("specs/small-cnn.yaml"),
                EXAMPLES.resolve("checkpoints/fashion-source.safetensors"), DATA, DATA, DATA, DATA));
        return ExperimentRunner.prepare(c, Path.of("conv.yaml"), ExperimentRunner.Progress.NONE);
    }

    private static Strategies.Resolved strategy(Prepared p, String yaml) {
        ExperimentConfig c = ExperimentLoader.parse("s", "strategies: [" + yaml + "]");
        return Strategies.resolve(c.strategies().get(0), p.layout(), p.train(), Path.of("."), 0, "s");
    }

    @Test
    void headOnlyFitsItsHeadOnceOnCachedFeaturesAndTheWholeModelAgreesWithTheCachedScore() {
        Prepared p = demo();
        AtomicReference<Double> whole = new AtomicReference<>();
        RunRecord r = ExperimentRunner.run(p, strategy(p, "head_only"), 5, 0, ExperimentRunner.Progress.NONE,
                model -> whole.set(Evaluator.evaluate(model, p.data().test(), 256).accuracy()));
        assertTrue(r.message().contains("fitted to convergence"), r.message());
        assertEquals(1, r.epochs());
        // the test score read from the cached trunk features is the whole model's, head loaded back
        assertEquals(whole.get(), r.accuracy(), 1e-9);
        // a second seed reuses the cached test features and still scores its own head
        RunRecord again = ExperimentRunner.run(p, strategy(p, "head_only"), 5, 1, ExperimentRunner.Progress.NONE,
                null);
        assertTrue(again.accuracy() > 0.3, "accuracy " + again.accuracy());
    }

    @Test
    void gradientTrainingStaysAvailableAndConvergedIsRefusedWhereMoreThanTheHeadTrains() {
        Prepared p = demo();
        RunRecord r = ExperimentRunner.run(p, strategy(p, "{name: h, base: head_only, train: {head_fit: gradient}}"),
                5, 0, ExperimentRunner.Progress.NONE, null);
        assertEquals(4, r.epochs());
        GraftInputException e = assertThrows(GraftInputException.class, () -> ExperimentRunner.run(p,
                strategy(p, "{name: f, base: full, train: {head_fit: converged}}"), 5, 0,
                ExperimentRunner.Progress.NONE, null));
        assertTrue(e.getMessage().contains("head_fit: converged") && e.getMessage().contains("is not frozen"),
                e.getMessage());
    }

    @Test
    void adversarialTrainingTrainsTheHeadByGradientAndRefusesConverged() {
        Prepared p = demo();
        // auto: the examples move with the head, so the head trains by gradient on them, every epoch
        RunRecord r = ExperimentRunner.run(p, strategy(p, "{name: a, base: head_only, train: {epochs: 1, "
                + "adversarial: {method: fgsm, eps: 0.1}}}"), 5, 0, ExperimentRunner.Progress.NONE, null);
        assertFalse(r.message().contains("fitted to convergence"), r.message());
        GraftInputException e = assertThrows(GraftInputException.class, () -> ExperimentRunner.run(p,
                strategy(p, "{name: c, base: head_only, train: {head_fit: converged, adversarial: {eps: 0.1}}}"), 5, 0,
                ExperimentRunner.Progress.NONE, null));
        assertTrue(e.getMessage().contains("head_fit: converged") && e.getMessage().contains("adversarial examples"),
                e.getMessage());
    }

    /** Before: compare trained head_only first and refused the converged full strategy only at its turn. */
    @Test
    void aConvergedHeadThatCannotApplyIsRefusedByThePreflightBeforeAnythingTrains() {
        Prepared p = demo();
        Strategies.Resolved full = strategy(p, "{name: f, base: full, train: {head_fit: converged}}");
        GraftInputException e = assertThrows(GraftInputException.class, () -> full.preflight(p));
        assertTrue(e.getMessage().contains("strategy 'f'") && e.getMessage().contains("is not frozen"), e.getMessage());
        strategy(p, "head_only").preflight(p);
    }
}
