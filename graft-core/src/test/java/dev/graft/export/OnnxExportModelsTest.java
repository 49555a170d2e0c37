package dev.graft.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtSession;
import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.OnnxFile;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.model.family.Families;
import dev.graft.provenance.Provenance;
import dev.graft.testing.Fixtures;
import dev.graft.testing.Models;
import dev.graft.testing.Ort;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole models exported and run by ONNX Runtime against Graft's own forward pass (logits within
 * 1e-4): the demo CNN with its shipped source weights, every torchvision family (random weights;
 * resnet18 and mobilenet_v2 at 64×64, the others at 32×32), a small BERT of each pooling on padded sequences, and
 * all-MiniLM-L6-v2's encoder with its real weights. The float file also reads back through Graft's
 * own ONNX reader tensor for tensor.
 */
class OnnxExportModelsTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @Test
    void theDemoCnnWithItsSourceWeights() throws Exception {
        ModelLayout layout = Models.example("small-cnn.yaml");
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.example("checkpoints/fashion-source.safetensors"))) {
            for (ParamInfo p : layout.params()) {
                Tensor t = f.read(p.name());
                state.put(p.name(), Tensor.of(t.dtype(), t.dims(), copy(t.data())));
            }
        }
        // normalized Fashion-MNIST pixels lie in [-0.81, 2.02]
        float[] x = uniform(16 * 28 * 28, -0.81, 2.02, 1);
        double diff = agree(layout, state, x, 16);
        System.out.printf(Locale.ROOT, "small-cnn (fashion-source): max |diff| %.3g%n", diff);
        assertTrue(diff < TOLERANCE, "small-cnn: ONNX Runtime differs from Graft by " + diff);

        byte[] bytes = OnnxExport.of(layout, state, false, Provenance.now("fashion-source.safetensors", "")).toBytes();
        Path file = dir.resolve("small-cnn.onnx");
        Files.write(file, bytes);
        try (OnnxFile back = OnnxFile.open(file)) {
            for (ParamInfo p : layout.params()) {
                if (p.role() != ParamRole.NUM_BATCHES_TRACKED) {
                    assertTrue(state.get(p.name()).contentEquals(back.read(p.name())), p.name() + " reads back");
                }
            }
            assertEquals("8", back.metadata().get("onnx.ir_version"));
            assertEquals("ai.onnx 17", back.metadata().get("onnx.opset"));
            assertEquals("none", back.metadata().get("onnx.meta." + OnnxExport.QUANTIZATION));
            assertTrue(back.notes().isEmpty(), "every weight is stored under its PyTorch name: " + back.notes());
        }
    }

    @Test
    void int8StoresEachWeightAsInt8WithItsScalesAndTheRestAsFloat() throws Exception {
        ModelLayout layout = Models.example("small-cnn.yaml");
        Map<String, Tensor> state = Models.randomState(layout, 3);
        OnnxExport e = OnnxExport.of(layout, state, true, Provenance.now("random", ""));
        assertEquals(java.util.List.of("features.0.weight", "features.4.weight", "classifier.1.weight",
                "classifier.4.weight"), e.quantized());
        Path file = dir.resolve("int8.onnx");
        e.write(file);
        try (OnnxFile back = OnnxFile.open(file)) {
            for (String w : e.quantized()) {
                // no initializer under the weight's own name: a transfer from this file cannot take int8 for floats
                assertTrue(!back.contains(w), w);
                Tensor q = back.read(w + "_quantized");
                assertEquals(DType.I8, q.dtype(), w);
                assertEquals(state.get(w).dims(), q.dims(), w);
                Int8Weights expected = Int8Weights.quantize(q.dims(), state.get(w).toFloats());
                byte[] stored = new byte[(int) q.byteSize()];
                q.data().get(stored);
                assertTrue(java.util.Arrays.equals(expected.values(), stored), w + " values");
                assertTrue(java.util.Arrays.equals(expected.scales(), back.read(w + "_scale").toFloats()), w + " scales");
                assertEquals(new Dims(q.dims().get(0)), back.read(w + "_zero_point").dims());
            }
            assertEquals(DType.F32, back.read("features.0.bias").dtype());
            assertEquals(DType.F32, back.read("features.1.running_var").dtype());
            assertEquals(OnnxExport.INT8, back.metadata().get("onnx.meta." + OnnxExport.QUANTIZATION));
        }
        assertTrue(e.bytes() < OnnxExport.of(layout, state, false, Provenance.now("random", "")).bytes() / 3,
                "int8 weights take a quarter of float32's bytes");
    }

    @Test
    void everyTorchvisionFamily() throws Exception {
        // resnet18 and mobilenet_v2 at 64x64 with a batch of 2; the others at 32x32 (vgg11_bn's
        // smallest), which takes vgg's adaptive pool through its general path (1x1 into 7x7 cells)
        for (dev.graft.model.family.Family f : Families.all()) {
            boolean main = f.name().equals("resnet18") || f.name().equals("mobilenet_v2");
            int size = main ? 64 : 32;
            int batch = main ? 2 : 1;
            ModelSpec s = f.spec(5);
            ModelLayout layout = ModelLayout.of(new ModelSpec(s.name(), s.source(), new Dims(3, size, size), s.root(),
                    s.head()));
            float[] x = uniform(batch * 3 * size * size, -2, 2, 2);
            double diff = agree(layout, Models.randomState(layout, 4), x, batch);
            System.out.printf(Locale.ROOT, "%s:5 at %dx%d: ONNX Runtime vs Graft, max |diff| %.3g%n", f.name(), size,
                    size, diff);
            assertTrue(diff < TOLERANCE, f.name() + ": ONNX Runtime differs from Graft by " + diff);
        }
    }

    @Test
    void aSmallBertOfEachPoolingOnPaddedSequences() throws Exception {
        // hidden 16, 2 layers, 2 heads, FFN 32, 40 tokens, 12 positions, pad id 0
        BertConfig c = new BertConfig(16, 2, 2, 32, 40, 12, 2, 1e-12, 0.1, 0.1, 0);
        float[] ids = {
            2, 17, 5, 33, 9, 3, 0, 0, 0, 0,
            2, 11, 3, 0, 0, 0, 0, 0, 0, 0,
            2, 30, 31, 32, 33, 34, 35, 36, 37, 3,
            2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        };
        for (BertFamily.Pooling pooling : BertFamily.Pooling.values()) {
            ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 3, pooling, 10, "small-bert"));
            double diff = agree(layout, Models.randomState(layout, 5), ids, 4);
            System.out.printf(Locale.ROOT, "small BERT, %s pooling: max |diff| %.3g%n", pooling.keyword(), diff);
            assertTrue(diff < TOLERANCE, pooling + ": ONNX Runtime differs from Graft by " + diff);
        }
    }

    @Test
    void allMiniLmL6V2WithItsWeights() throws Exception {
        Path file = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = OnnxExportModelsTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, file);
        }
        BertConfig c = BertConfig.read(file);
        ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 3, BertFamily.Pooling.MEAN, 16, file.toString()));
        Map<String, Tensor> state = Models.randomState(layout, 6);
        try (OnnxFile onnx = OnnxFile.open(file)) {
            for (ParamInfo p : layout.params()) {
                if (onnx.contains(p.name())) {
                    Tensor t = onnx.read(p.name());
                    state.put(p.name(), Tensor.ofFloats(t.dims(), t.toFloats()));
                }
            }
        }
        // [CLS] the cat sat on the mat . [SEP], then padding; and a full-length sequence
        float[] ids = new float[2 * 16];
        float[] first = {101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102};
        System.arraycopy(first, 0, ids, 0, first.length);
        for (int i = 0; i < 16; i++) {
            ids[16 + i] = i == 0 ? 101 : i == 15 ? 102 : 2000 + 37 * i;
        }
        double diff = agree(layout, state, ids, 2);
        System.out.printf(Locale.ROOT, "all-MiniLM-L6-v2: max |diff| %.3g%n", diff);
        assertTrue(diff < TOLERANCE, "MiniLM: ONNX Runtime differs from Graft by " + diff);
    }

    /** The largest difference between Graft's logits and ONNX Runtime's on the float export. */
    private static double agree(ModelLayout layout, Map<String, Tensor> state, float[] x, int batch) throws Exception {
        long[] shape = new long[layout.spec().input().rank() + 1];
        shape[0] = batch;
        System.arraycopy(layout.spec().input().sizes(), 0, shape, 1, shape.length - 1);
        float[] expected;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(state);
            expected = model.predict(m.create(x, new Shape(shape))).toFloatArray();
        }
        byte[] bytes = OnnxExport.of(layout, state, false, Provenance.now("test", "")).toBytes();
        try (OrtSession s = Ort.session(bytes)) {
            return Ort.maxAbsDiff(expected, Ort.run(s, x, shape));
        }
    }

    private static float[] uniform(int n, double low, double high, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rng.nextDouble(low, high);
        }
        return out;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }
}
