package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtSession;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.export.Int8Weights;
import dev.graft.export.OnnxExport;
import dev.graft.provenance.Provenance;
import dev.graft.testing.Models;
import dev.graft.testing.Ort;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The export contract every registered layer kind must keep, on its own examples (those of
 * {@link LayerKindContractTest}): its ONNX export, run by ONNX Runtime, computes what Graft's
 * forward pass computes in inference mode, within 1e-4, on two inputs (uniform in [-1, 1], and
 * small integers, which token-id layers read as ids), for a batch of 8 and of 1; and its int8
 * export quantizes exactly the weights of its unit layers (linear and convolution) and computes
 * Graft's forward pass with those weights dequantized.
 */
class LayerKindExportTest {
    private static final double TOLERANCE = 1e-4;
    private static final int BATCH = 8;

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("dev.graft.model.LayerKindContractTest#examples")
    void onnxRuntimeComputesGraftsForwardPass(String keyword, LayerKind.Example e) throws Exception {
        ModelLayout layout = ModelLayout.of(SpecParser.parse("contract", LayerKindContractTest.spec(e, e.yaml())));
        Map<String, Tensor> state = Models.randomState(layout, 11);
        OnnxExport export = OnnxExport.of(layout, state, false, Provenance.now("random", ""));
        assertEquals(List.of(), export.quantized());
        try (OrtSession s = Ort.session(export.toBytes())) {
            for (float[] x : inputs(e.input())) {
                float[] expected = graft(layout, state, x, e.input());
                double diff = Ort.maxAbsDiff(expected, Ort.run(s, x, shape(BATCH, e.input())));
                assertTrue(diff < TOLERANCE, keyword + ": ONNX Runtime differs from Graft by " + diff);
                int one = x.length / BATCH;
                float[] first = Ort.run(s, Arrays.copyOf(x, one), shape(1, e.input()));
                assertTrue(Ort.maxAbsDiff(Arrays.copyOf(expected, expected.length / BATCH), first) < TOLERANCE,
                        keyword + ": a batch of one");
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("dev.graft.model.LayerKindContractTest#examples")
    void int8ExportComputesTheDequantizedWeights(String keyword, LayerKind.Example e) throws Exception {
        ModelLayout layout = ModelLayout.of(SpecParser.parse("contract", LayerKindContractTest.spec(e, e.yaml())));
        Map<String, Tensor> state = Models.randomState(layout, 12);
        OnnxExport export = OnnxExport.of(layout, state, true, Provenance.now("random", ""));
        // the unit graph's linear and convolution layers, found by shape inference, not by the export
        assertEquals(new TreeSet<>(layout.units().keySet().stream().map(u -> u + ".weight").toList()),
                new TreeSet<>(export.quantized()), keyword + ": the weights quantized");
        Map<String, Tensor> dequantized = new LinkedHashMap<>(state);
        for (String w : export.quantized()) {
            Tensor t = state.get(w);
            dequantized.put(w, Tensor.ofFloats(t.dims(), Int8Weights.quantize(t.dims(), t.toFloats()).dequantize()));
        }
        byte[] model = export.toBytes();
        for (float[] x : inputs(e.input())) {
            double diff = Ort.maxAbsDiff(graft(layout, dequantized, x, e.input()), Ort.run(model, x, shape(BATCH,
                    e.input())));
            assertTrue(diff < TOLERANCE, keyword + ": the int8 export differs from Graft on its weights by " + diff);
        }
    }

    @Test
    void aKindWithoutAnExportIsRefusedByName() {
        LayerSpec unknown = new LayerSpec() {
            public String name() {
                return "mystery";
            }

            public String type() {
                return "mystery_kind";
            }

            public long[] infer(String path, long[] input, LayoutContext ctx) {
                return input;
            }

            public ai.djl.nn.Block build(String path, BuildContext ctx) {
                throw new UnsupportedOperationException();
            }

            public Map<String, Object> yaml() {
                return Map.of();
            }
        };
        ModelLayout layout = ModelLayout.of(new ModelSpec("m", "m.yaml", new dev.graft.checkpoint.Dims(3),
                new SequentialLayer("", List.of(new LinearLayer("fc", 3, true), unknown))));
        SpecException x = assertThrows(SpecException.class,
                () -> OnnxExport.of(layout, Models.randomState(layout, 1), false, Provenance.now("random", "")));
        assertEquals("m.yaml: layer mystery: layer kind 'mystery_kind' cannot be exported to ONNX yet", x.getMessage());
    }

    /** Uniform values in [-1, 1], and integers 0..4 (valid token ids of every example vocabulary). */
    private static List<float[]> inputs(long[] sample) {
        int n = BATCH * (int) Arrays.stream(sample).reduce(1, (a, b) -> a * b);
        SplittableRandom rng = new SplittableRandom(5);
        float[] uniform = new float[n];
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            uniform[i] = (float) rng.nextDouble(-1, 1);
            ids[i] = rng.nextInt(5);
        }
        return List.of(uniform, ids);
    }

    private static long[] shape(int batch, long[] sample) {
        long[] s = new long[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private static float[] graft(ModelLayout layout, Map<String, Tensor> state, float[] x, long[] sample) {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(state);
            return model.predict(m.create(x, new Shape(shape(BATCH, sample)))).toFloatArray();
        }
    }
}
