package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.data.IdxReader;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft export} end to end: the demo's source model (small CNN, fashion-source weights)
 * exported as float32 and as int8 and run by ONNX Runtime on the 1,000 shipped source test images
 * of its five classes; the float file predicts what Graft predicts, the int8 file within one
 * accuracy point of it. Bad input is one line and exit 2, with no file left behind.
 */
class ExportCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Path DATA = Path.of("..", "data", "fashion").toAbsolutePath().normalize();
    static final String SPEC = EXAMPLES.resolve("specs/small-cnn.yaml").toString();
    static final String WEIGHTS = EXAMPLES.resolve("checkpoints/fashion-source.safetensors").toString();

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void theInt8ExportIsWithinOnePointOfTheFloatExportOnTheFashionSourceTestSet() throws Exception {
        Path f32 = dir.resolve("float.onnx");
        Path i8 = dir.resolve("int8.onnx");
        CommandLineTest.Run r = CommandLineTest.run("export", "--model", SPEC, "--weights", WEIGHTS, "--out", f32.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + f32 + ": ONNX opset 17, input input [batch, 1, 28, 28], output logits "
                + "[batch, 5]"), r.out());
        r = CommandLineTest.run("export", "--model", SPEC, "--weights", WEIGHTS, "--out", i8.toString(), "--int8");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("int8 weights: 4"), r.out());
        assertTrue(Files.size(i8) < Files.size(f32) / 3, Files.size(i8) + " bytes against " + Files.size(f32));

        // the source task's test set as the source model was trained on it: classes 0, 1, 3, 5, 8
        // (t-shirt, trouser, dress, sandal, bag) relabelled 0..4, normalized with the demo's constants
        Examples test = IdxReader.read(DATA.resolve("source-test-images-idx3-ubyte.gz"),
                DATA.resolve("source-test-labels-idx1-ubyte.gz"), 0).selectClasses(new int[] {0, 1, 3, 5, 8})
                .normalized(new Examples.Normalization(new float[] {0.2860f}, new float[] {0.3530f}));
        assertEquals(1000, test.size());
        int[] graft = argmax(graftLogits(test), 5);
        float[] floatLogits = onnxRuntime(f32, test);
        float[] int8Logits = onnxRuntime(i8, test);
        int[] onnx = argmax(floatLogits, 5);
        int[] int8 = argmax(int8Logits, 5);
        double logitShift = 0;
        for (int i = 0; i < floatLogits.length; i++) {
            logitShift = Math.max(logitShift, Math.abs(floatLogits[i] - int8Logits[i]));
        }
        double graftAccuracy = accuracy(graft, test.labels());
        double floatAccuracy = accuracy(onnx, test.labels());
        double int8Accuracy = accuracy(int8, test.labels());
        int changed = 0;
        for (int i = 0; i < onnx.length; i++) {
            changed += onnx[i] == int8[i] ? 0 : 1;
        }
        String measured = String.format(Locale.ROOT, "accuracy on %d images: Graft %.4f, ONNX float %.4f, ONNX int8 %.4f"
                + " (int8 changed %d predictions; largest logit change %.3g); files %d and %d bytes", test.size(),
                graftAccuracy, floatAccuracy, int8Accuracy, changed, logitShift, Files.size(f32), Files.size(i8));
        System.out.println("fashion-source " + measured);
        assertArrayEquals(graft, onnx, "the float export predicts what Graft predicts; " + measured);
        assertTrue(Math.abs(int8Accuracy - floatAccuracy) <= 0.01, measured);
    }

    @Test
    void badInputIsOneLineWithExitTwoAndNoFile() throws IOException {
        Path out = dir.resolve("model.onnx");
        // the target spec's head has another shape than the source weights'
        CommandLineTest.Run r = CommandLineTest.run("export", "--model", EXAMPLES.resolve("specs/small-cnn-target.yaml")
                .toString(), "--weights", WEIGHTS, "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("graft: " + WEIGHTS + ": tensor "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        r = CommandLineTest.run("export", "--model", SPEC, "--weights", WEIGHTS, "--out", out.toString(), "--input",
                "1,28,28");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--input goes with a family"), r.err());

        r = CommandLineTest.run("export", "--model", "bert:2", "--weights", WEIGHTS, "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("write its spec with graft spec bert:2 --config"), r.err());

        r = CommandLineTest.run("export", "--model", SPEC, "--weights", dir.resolve("none.safetensors").toString(),
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("none.safetensors"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        r = CommandLineTest.run("export", "--model", SPEC, "--weights", WEIGHTS, "--out", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is a folder"), r.err());

        r = CommandLineTest.run("export", "--model", SPEC, "--weights", WEIGHTS, "--out",
                dir.resolve("model.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().endsWith("model.safetensors: graft export writes ONNX; give a file name ending in .onnx\n"),
                r.err());

        // a weight that is not finite cannot be quantized: refused, naming it, and nothing written
        Path nan = dir.resolve("nan.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Path.of(WEIGHTS))) {
            for (String n : f.names()) {
                float[] v = f.read(n).toFloats();
                if (n.equals("classifier.4.weight")) {
                    v[7] = Float.NaN;
                }
                tensors.put(n, n.endsWith("num_batches_tracked") ? f.read(n) : Tensor.ofFloats(f.read(n).dims(), v));
            }
            dev.graft.checkpoint.SafetensorsWriter.write(nan, tensors, Map.of());
        }
        r = CommandLineTest.run("export", "--model", SPEC, "--weights", nan.toString(), "--out", out.toString(), "--int8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("tensor classifier.4.weight cannot be quantized to int8: value NaN"), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("nan.safetensors"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void aFamilyTakesItsChannelsFromTheWeightsAndItsSizeFromInput() throws Exception {
        // resnet18 for one grey channel, its weights made by graft transfer (fresh, nothing transferred)
        Path weights = dir.resolve("rn18.safetensors");
        Path rules = dir.resolve("fresh.yaml");
        Files.writeString(rules, "rules:\n  - {match: \"**\", mode: reinit}\n");
        CommandLineTest.Run t = CommandLineTest.run("transfer", "--source", WEIGHTS, "--target", "resnet18:5",
                "--rules", rules.toString(), "--out", weights.toString());
        assertEquals(0, t.code(), t.err() + t.out());
        // the stem as trained on grey images: conv1.weight [64, 1, 7, 7]
        Map<String, Tensor> grey = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(weights)) {
            for (String n : f.names()) {
                Tensor x = f.read(n);
                grey.put(n, n.equals("conv1.weight") ? Tensor.ofFloats(new dev.graft.checkpoint.Dims(64, 1, 7, 7),
                        java.util.Arrays.copyOf(x.toFloats(), 64 * 49)) : Tensor.of(x.dtype(), x.dims(), copy(x)));
            }
        }
        dev.graft.checkpoint.SafetensorsWriter.write(weights, grey, Map.of());
        Path out = dir.resolve("rn18.onnx");
        CommandLineTest.Run r = CommandLineTest.run("export", "--model", "resnet18:5", "--weights", weights.toString(),
                "--out", out.toString(), "--input", "1,32,32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input input [batch, 1, 32, 32], output logits [batch, 5]"), r.out());
        r = CommandLineTest.run("export", "--model", "resnet18:5", "--weights", weights.toString(),
                "--out", out.toString(), "--input", "3,32,32");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("stem takes 1 channels, not 3"), r.err());
    }

    @Test
    void aBertSpecWithMiniLmsWeightsExportsAsItComputes() throws Exception {
        Path onnx = dir.resolve("all-minilm-l6-v2.onnx");
        try (java.io.InputStream in = ExportCommandTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, onnx);
        }
        CommandLineTest.Run spec = CommandLineTest.run("spec", "bert:2", "--config", onnx.toString(), "--length", "16");
        assertEquals(0, spec.code(), spec.err());
        Path yaml = dir.resolve("bert.yaml");
        Files.writeString(yaml, spec.out());
        Path rules = dir.resolve("head.yaml");
        Files.writeString(rules, "rules:\n  - {match: \"classifier.*\", mode: reinit}\n");
        Path weights = dir.resolve("bert.safetensors");
        CommandLineTest.Run t = CommandLineTest.run("transfer", "--source", onnx.toString(), "--target", yaml.toString(),
                "--rules", rules.toString(), "--out", weights.toString());
        assertEquals(0, t.code(), t.err());
        Path f32 = dir.resolve("bert.onnx");
        Path i8 = dir.resolve("bert-int8.onnx");
        for (Path out : List.of(f32, i8)) {
            CommandLineTest.Run r = out == i8
                    ? CommandLineTest.run("export", "--model", yaml.toString(), "--weights", weights.toString(), "--out",
                            out.toString(), "--int8")
                    : CommandLineTest.run("export", "--model", yaml.toString(), "--weights", weights.toString(), "--out",
                            out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("input input [batch, 16], output logits [batch, 2]"), r.out());
        }
        // [CLS] hello world [SEP] and padding; [CLS] this is a short sentence . [SEP] and padding
        float[] ids = new float[2 * 16];
        float[][] sentences = {{101, 7592, 2088, 102}, {101, 2023, 2003, 1037, 2460, 6251, 1012, 102}};
        System.arraycopy(sentences[0], 0, ids, 0, 4);
        System.arraycopy(sentences[1], 0, ids, 16, 8);
        ModelLayout layout = ModelLayout.of(SpecParser.read(yaml));
        float[] expected;
        try (SafetensorsFile f = SafetensorsFile.open(weights); NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (ParamInfo p : layout.params()) {
                state.put(p.name(), f.read(p.name()));
            }
            model.load(state);
            expected = model.predict(m.create(ids, new Shape(2, 16))).toFloatArray();
        }
        Examples batch = new Examples(new dev.graft.checkpoint.Dims(16), ids, new int[2], 2);
        double diff = 0;
        double int8Diff = 0;
        float[] floats = onnxRuntime(f32, batch);
        float[] int8 = onnxRuntime(i8, batch);
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - floats[i]));
            int8Diff = Math.max(int8Diff, Math.abs(expected[i] - int8[i]));
        }
        String measured = String.format(Locale.ROOT, "MiniLM classifier logits %s: float export within %.3g, int8 within"
                + " %.3g", java.util.Arrays.toString(expected), diff, int8Diff);
        System.out.println(measured);
        assertTrue(diff < 1e-4, measured);
        assertTrue(int8Diff < 0.05, measured);
    }

    private static java.nio.ByteBuffer copy(Tensor t) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) t.byteSize());
        b.put(t.data()).flip();
        return b;
    }

    private static float[] graftLogits(Examples test) {
        ModelLayout layout = ModelLayout.of(SpecParser.read(Path.of(SPEC)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Path.of(WEIGHTS)); NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            for (ParamInfo p : layout.params()) {
                state.put(p.name(), f.read(p.name()));
            }
            model.load(state);
            return model.predict(m.create(test.features(), new Shape(test.batchShape(test.size())))).toFloatArray();
        }
    }

    private static float[] onnxRuntime(Path model, Examples test) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), opts);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(test.features()),
                            test.batchShape(test.size()));
                    OrtSession.Result r = s.run(Map.of("input", x))) {
                FloatBuffer b = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                return out;
            }
        }
    }

    private static int[] argmax(float[] logits, int classes) {
        int[] out = new int[logits.length / classes];
        for (int i = 0; i < out.length; i++) {
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + out[i]]) {
                    out[i] = c;
                }
            }
        }
        return out;
    }

    private static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
