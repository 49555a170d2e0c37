import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The Java side of bench/export_bench.sh. Two modes:
 *
 * <ul>
 *   <li>{@code init SPEC OUT.safetensors}: writes a spec's freshly initialized weights (DJL's default
 *       initializers, engine seed 0), for a model benchmarked without trained weights (ResNet-18).
 *   <li>{@code time NAME SPEC WEIGHTS FLOAT.onnx INT8.onnx}: the inference latency of one model in
 *       Graft (libtorch through DJL, float weights) and of its float and int8 ONNX exports in ONNX
 *       Runtime (CPU, default graph optimizations), at batch 1 and 32, each on one thread; prints
 *       one JSON line. Each measurement is the median of timed calls (after 3 warm-up calls; calls
 *       go on until 2 s or 200 calls, at least 5), each call including the copy of the input in and
 *       of the logits out, the same work on both sides. It also reports the largest difference
 *       between Graft's logits and each export's on the batch of 32, as a check that the files
 *       timed compute the model.
 * </ul>
 *
 * Inputs: images drawn from a standard normal (values do not change the work of these models);
 * for a BERT spec ([L] token ids), [CLS], 8 to L-2 random WordPiece ids, [SEP] and padding.
 * Graft's thread count is set by the script ({@code -Dai.djl.pytorch.num_threads=1}).
 */
public final class ExportBench {
    static final double BUDGET_S = 2.0;
    static final int WARM = 3;
    static final int MIN_CALLS = 5;
    static final int MAX_CALLS = 200;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("init")) {
            init(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 6 && args[0].equals("time")) {
            System.out.println(time(args[1], Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), Path.of(args[5])));
        } else {
            System.err.println("usage: ExportBench init SPEC OUT | time NAME SPEC WEIGHTS FLOAT.onnx INT8.onnx");
            System.exit(2);
        }
    }

    static void init(Path spec, Path out) throws Exception {
        ModelLayout layout = ModelLayout.of(SpecParser.read(spec));
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(0);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            SafetensorsWriter.write(out, model.stateDict(), Map.of("format", "pt"));
        }
    }

    static String time(String name, Path spec, Path weights, Path f32, Path i8) throws Exception {
        ModelLayout layout = ModelLayout.of(SpecParser.read(spec));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("float_bytes", Files.size(f32));
        out.put("int8_bytes", Files.size(i8));
        float[][] inputs = {input(layout.spec().input(), 1, 1), input(layout.spec().input(), 32, 2)};
        int[] batches = {1, 32};
        float[] graft32;
        try (SafetensorsFile w = SafetensorsFile.open(weights); NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (ParamInfo p : layout.params()) {
                state.put(p.name(), w.read(p.name()));
            }
            model.load(state);
            float[][] last = new float[1][];
            for (int b = 0; b < 2; b++) {
                float[] x = inputs[b];
                long[] shape = shape(layout.spec().input(), batches[b]);
                out.put("graft_b" + batches[b] + "_ms", median(() -> {
                    try (NDManager call = m.newSubManager()) {
                        last[0] = model.predict(call.create(x, new Shape(shape))).toFloatArray();
                    }
                }));
            }
            graft32 = last[0];
        }
        double scale = 0;
        for (float v : graft32) {
            scale = Math.max(scale, Math.abs(v));
        }
        // the scale the differences below are read against
        out.put("graft_b32_max_abs_logit", scale);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (Path file : List.of(f32, i8)) {
            String kind = file == f32 ? "ort_float" : "ort_int8";
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(1);
                opts.setInterOpNumThreads(1);
                try (OrtSession s = env.createSession(file.toString(), opts)) {
                    float[][] last = new float[1][];
                    for (int b = 0; b < 2; b++) {
                        float[] x = inputs[b];
                        long[] shape = shape(layout.spec().input(), batches[b]);
                        out.put(kind + "_b" + batches[b] + "_ms", median(() -> {
                            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                                    OrtSession.Result r = s.run(Map.of("input", t))) {
                                FloatBuffer fb = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
                                last[0] = new float[fb.remaining()];
                                fb.get(last[0]);
                            }
                        }));
                    }
                    double diff = 0;
                    for (int i = 0; i < graft32.length; i++) {
                        diff = Math.max(diff, Math.abs(graft32[i] - last[0][i]));
                    }
                    out.put(kind + "_max_abs_diff", diff);
                }
            }
        }
        StringBuilder json = new StringBuilder("{");
        out.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                .append(v instanceof String ? "\"" + v + "\"" : v instanceof Double d
                        ? String.format(Locale.ROOT, "%.6g", d) : v));
        return json.append('}').toString();
    }

    interface Call {
        void run() throws Exception;
    }

    /** The median wall time of one call in milliseconds, after the warm-up calls. */
    static double median(Call call) throws Exception {
        for (int i = 0; i < WARM; i++) {
            call.run();
        }
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        while (ms.size() < MIN_CALLS || (ms.size() < MAX_CALLS && (System.nanoTime() - start) / 1e9 < BUDGET_S)) {
            long t = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static long[] shape(Dims sample, int batch) {
        long[] s = new long[sample.rank() + 1];
        s[0] = batch;
        System.arraycopy(sample.sizes(), 0, s, 1, sample.rank());
        return s;
    }

    static float[] input(Dims sample, int batch, long seed) {
        Random r = new Random(seed);
        int per = (int) sample.count();
        float[] x = new float[batch * per];
        if (sample.rank() == 1) {
            // token ids: [CLS] w1 .. wk [SEP] then padding (id 0), k from 8 to L-2
            for (int i = 0; i < batch; i++) {
                int k = 8 + r.nextInt(Math.max(1, per - 2 - 8 + 1));
                x[i * per] = 101;
                for (int j = 1; j <= k; j++) {
                    x[i * per + j] = 1000 + r.nextInt(28000);
                }
                x[i * per + k + 1] = 102;
            }
            return x;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
