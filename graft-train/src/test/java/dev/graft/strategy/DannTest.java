package dev.graft.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.data.DomainShift;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DannTest {
    @TempDir
    Path dir;

    @Test
    void theReversalLayerIsTheIdentityForwardAndMinusLambdaBackward() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray x = m.create(new float[] {1, -2, 3}, new Shape(3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = DomainAdversarial.reverseGradient(x, 0.4);
                assertArrayEquals(new float[] {1, -2, 3}, y.toFloatArray(), 1e-6f);
                // loss = Σ c·y with c = (1, 2, 3): dloss/dx = −0.4·c
                gc.backward(y.mul(m.create(new float[] {1, 2, 3}, new Shape(3))).sum());
            }
            assertArrayEquals(new float[] {-0.4f, -0.8f, -1.2f}, x.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void lambdaFollowsThePapersSchedule() {
        assertEquals(0, DomainAdversarial.lambda(0), 1e-12);
        assertEquals(2 / (1 + Math.exp(-5)) - 1, DomainAdversarial.lambda(0.5), 1e-12);
        assertEquals(0.9999092, DomainAdversarial.lambda(1), 1e-6);
    }

    @Test
    void shiftsAreDeterministic() {
        // one 1×2×2 image: rows (0.1, 0.2), (0.3, 0.4)
        Examples e = new Examples(new Dims(1, 2, 2), new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new int[] {0}, 1);
        assertArrayEquals(new float[] {0.9f, 0.8f, 0.7f, 0.6f}, DomainShift.INVERT.apply(e).features(), 1e-6f);
        // a quarter turn clockwise: rows (0.3, 0.1), (0.4, 0.2)
        assertArrayEquals(new float[] {0.3f, 0.1f, 0.4f, 0.2f}, DomainShift.ROTATE.apply(e).features(), 1e-6f);
        float[] a = DomainShift.NOISE.apply(e).features();
        assertArrayEquals(a, DomainShift.NOISE.apply(e).features());
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void dannRunsFromYamlAndNeedsATargetDomain() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String data = """
                train_images: %1$s/data/fashion/target-pool-images-idx3-ubyte.gz
                train_labels: %1$s/data/fashion/target-pool-labels-idx1-ubyte.gz
                classes: [2, 4, 6, 7, 9]
                normalize: {mean: [0.286], std: [0.353]}
                """.formatted(root);
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: dann
                model: %1$s/examples/specs/small-cnn.yaml
                source: {checkpoint: %1$s/examples/checkpoints/fashion-source.safetensors}
                output: %2$s
                data:
                %3$s  test_images: %1$s/data/fashion/target-test-images-idx3-ubyte.gz
                  test_labels: %1$s/data/fashion/target-test-labels-idx1-ubyte.gz
                  test_shift: invert
                train: {epochs: 3, batch_size: 25}
                strategies:
                  - name: dann
                    base: dann
                    dann:
                      target:
                %4$s        shift: invert
                shots: [5]
                seeds: [0]
                """.formatted(root, dir.resolve("out"), data.indent(2), data.indent(8)));
        Prepared p = ExperimentRunner.prepare(ExperimentLoader.read(exp), exp, ExperimentRunner.Progress.NONE);
        RunRecord r = ExperimentRunner.compare(p, ExperimentRunner.comparedStrategies(p, (s, w) -> Optional.empty()),
                ExperimentRunner.Progress.NONE).get(0);
        assertNotNull(r.test());
        assertEquals(3, r.epochs());

        Files.writeString(exp, Files.readString(exp).replaceAll("(?s)    dann:\\n.*?shift: invert\\n", "    dann: {}\n"));
        Prepared q = ExperimentRunner.prepare(ExperimentLoader.read(exp), exp, ExperimentRunner.Progress.NONE);
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> ExperimentRunner.comparedStrategies(q, (s, w) -> Optional.empty()));
        assertTrue(e.getMessage().contains("dann.target"), e.getMessage());
    }
}
