package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.provenance.Provenance;
import dev.graft.train.TrainResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's deployment figures: the ONNX export's size against counts by hand, and the table's columns. */
class DeploymentTest {
    /** 784·64 + 64 + 64·5 + 5 = 50,629 parameters, of which 50,496 are the two weight matrices. */
    static final String MLP = """
            name: mlp
            input: [1, 28, 28]
            layers:
              - {name: flat, type: flatten}
              - {name: hidden, type: linear, out: 64}
              - {name: act, type: relu}
              - {name: head, type: linear, out: 5}
            """;

    @Test
    void theExportHoldsFourBytesPerFloatWeightOrOnePerInt8Weight() {
        Examples test = new Examples(new Dims(1, 28, 28), new float[3 * 784], new int[3], 5);
        Provenance prov = Provenance.now("source.safetensors", "");
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(ModelLayout.of(SpecParser.parse("mlp", MLP)), m)) {
            Deployment f = Deployment.measure(model, test, false, prov);
            // the float32 values, plus names, shapes, 4 nodes and the metadata: under 4 kB
            long floats = 4L * 50_629;
            assertTrue(f.exportBytes() >= floats && f.exportBytes() < floats + 4096, "float: " + f.exportBytes());
            Deployment q = Deployment.measure(model, test, true, prov);
            // int8 weights (1 byte each), float32 biases (69) and per-row scales (69), int8 zero points (69)
            long int8 = 50_496 + 4L * 69 + 4L * 69 + 69;
            assertTrue(q.exportBytes() >= int8 && q.exportBytes() < int8 + 4096, "int8: " + q.exportBytes());
            assertTrue(q.int8() && !f.int8());
            assertTrue(f.inferenceMs() > 0 && q.inferenceMs() > 0);
            assertTrue(f.onnxMs() > 0 && q.onnxMs() > 0);
        }
    }

    /**
     * ONNX Runtime, an independent implementation, runs the float export to the same decisions as
     * Graft's own forward pass: its accuracy on 40 random samples with random labels is Graft's.
     */
    @Test
    void theExportedFileScoresUnderOnnxRuntimeWhatGraftScores() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        int n = 40;
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(5);
        }
        Examples test = new Examples(new Dims(1, 28, 28), x, y, 5);
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(ModelLayout.of(SpecParser.parse("mlp", MLP)), m)) {
            double graft = dev.graft.train.Evaluator.evaluate(model, test, 256).accuracy();
            Deployment f = Deployment.measure(model, test, false, Provenance.now("source.safetensors", ""));
            assertEquals(graft, f.onnxAccuracy(), 1e-12);
            assertTrue(graft > 0 && graft < 1, "a score that tells decisions apart: " + graft);
        }
    }

    static RunRecord run(long seed, Deployment d) {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 0}, 2, 0.5);
        return new RunRecord("scratch", 0, seed, TrainResult.Status.COMPLETED, "", m, 1, 0, 1, 1, List.of(),
                List.of(), null, null, null, d);
    }

    @Test
    void theTableShowsSizeAndMillisecondsOnlyWhenMeasured() {
        Comparison measured = new Comparison(List.of(run(0, new Deployment(1_690_000, true, 0.25, 0.9, 0.125)),
                run(1, new Deployment(1_690_000, true, 0.75, 0.8, 0.375))));
        Comparison.Row row = measured.rows().get(0);
        assertEquals(1_690_000, row.exportBytes().mean(), 1e-9);
        assertEquals(0.5, row.inferenceMs().mean(), 1e-12);
        String table = measured.table();
        assertTrue(table.contains("ONNX size (int8)") && table.contains("Graft ms/sample"), table);
        assertTrue(table.contains("ONNX accuracy") && table.contains("ONNX ms/sample"), table);
        assertTrue(table.contains("1.69 MB") && table.contains("0.500 ± 0.354"), table);
        assertTrue(table.contains("0.850 ± 0.071") && table.contains("0.250 ± 0.177"), table);
        String plain = new Comparison(List.of(run(0, null))).table();
        assertFalse(plain.contains("ONNX") || plain.contains("ms/sample"), plain);
        assertEquals("812 B", Deployment.size(812));
        assertEquals("12.3 kB", Deployment.size(12_300));
        assertEquals("1.69 MB", Deployment.size(1_690_000));
    }
}
