import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.model.family.Families;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.train.TrainResult;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Graft's side of bench/run.sh: the training-step time of the small CNN, an MLP, and torchvision's
 * ResNet-18 and MobileNetV2 (as Graft's families build them, 3x64x64 input, batch 32) and the
 * real all-MiniLM-L6-v2 with a 2-class head (bert family, its converted weights, batch 8 x 64
 * tokens, AdamW) through Graft's own fine-tuning loop (batch assembly, NDScope, optimizer and all),
 * a matmul peak, and resident memory over 2,000 CNN steps. Prints one JSON line. Run by
 * bench/run.sh.
 *
 * <p>Arguments: STEPS MEMORY_STEPS BIG_STEPS [MINILM_STEPS [MINILM_ONNX MINILM_SAFETENSORS]]; a
 * count of 0 leaves its part out (its JSON fields are null).
 */
public final class StepBench {
    static final String MLP = """
            input: [784]
            layers:
              - {type: linear, out: 512}
              - {type: relu}
              - {type: linear, out: 256}
              - {type: relu}
              - {type: linear, out: 10}
            """;

    /** Warm-up steps of the two torchvision models: each of their steps costs 5-10 of the CNN's. */
    static final int BIG_WARM = 5;

    /** MiniLM: warm-up steps, batch, sequence length, learning rate (AdamW, PyTorch's weight decay 0.01). */
    static final int MINILM_WARM = 20;
    static final int MINILM_BATCH = 8;
    static final int MINILM_LENGTH = 64;
    static final double MINILM_LR = 1e-4;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("memory") || args[0].equals("profile") || args[0].equals("ops"))) {
            Modes.main(args);
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int memSteps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int bigSteps = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int minilmSteps = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Path onnx = Path.of(args.length > 4 ? args[4] : "graft-out/models/all-minilm-l6-v2/model.onnx");
        Path weights = Path.of(args.length > 5 ? args[5] : "graft-out/bench/minilm.safetensors");
        Engines.pytorch();
        ModelLayout cnn = ModelLayout.of(SpecParser.read(Path.of("examples/specs/small-cnn.yaml")));
        ModelLayout mlp = ModelLayout.of(SpecParser.parse("mlp", MLP));
        Double cnnMs = null;
        Double mlpMs = null;
        Double peak = null;
        if (steps > 0) {
            cnnMs = stepMs(cnn, 5, 64, steps);
            mlpMs = stepMs(mlp, 10, 128, steps);
            peak = matmulGflops(1024, 20);
        }
        long[] rss = memSteps > 0 ? memory(cnn, memSteps) : null;
        // after the memory check, so that its RSS baseline is the same as before these models were added
        Double resnetMs = null;
        Double mobilenetMs = null;
        if (bigSteps > 0) {
            resnetMs = stepMs(family("resnet18"), 10, 32, BIG_WARM, bigSteps);
            if (!"0".equals(System.getenv("BENCH_MOBILENET"))) {
                mobilenetMs = stepMs(family("mobilenet_v2"), 10, 32, BIG_WARM, bigSteps);
            }
        }
        String minilm = "\"minilm_ms\":null";
        if (minilmSteps > 0) {
            minilm = minilm(onnx, weights, MINILM_WARM, minilmSteps);
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"djl\":\"0.36.0\",\"pytorch\":\"2.7.1\",\"threads\":%s,\"cnn_ms\":%s,\"mlp_ms\":%s,"
                        + "\"resnet18_ms\":%s,\"mobilenet_v2_ms\":%s,\"big_steps\":%d,"
                        + "\"matmul_gflops\":%s,\"rss_mb_after_100\":%s,\"rss_mb_after_all\":%s,\"mem_steps\":%d,%s}",
                System.getProperty("ai.djl.pytorch.num_threads"), json(cnnMs), json(mlpMs), json(resnetMs),
                json(mobilenetMs), bigSteps, json(peak), rss == null ? "null" : json(rss[0] / 1024.0),
                rss == null ? "null" : json(rss[1] / 1024.0), memSteps, minilm));
    }

    static String json(Double v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * all-MiniLM-L6-v2 as an experiment's {@code model: {family: bert, config: model.onnx,
     * num_classes: 2, pooling: mean, input: [64]}} builds it, its encoder loaded from the
     * safetensors {@code graft convert} wrote of the ONNX file (the classifier is new, seeded), then
     * trained with AdamW (lr 1e-4, weight decay 0.01 on weights, not on biases and LayerNorms),
     * dropout 0.1, one batch of {@link #minilmBatch()} per epoch so that each epoch is one step and
     * its {@code EpochRecord.seconds} that step's time. Returns the JSON fields: median and mean
     * ms/step over the timed steps, and what was loaded.
     */
    static String minilm(Path onnx, Path weights, int warm, int steps) {
        BertConfig c = BertConfig.read(onnx);
        ModelLayout layout = ModelLayout.of(BertFamily.spec(c, 2, BertFamily.Pooling.MEAN, MINILM_LENGTH,
                onnx.toString()));
        Examples data = minilmBatch();
        List<Double> seconds = new ArrayList<>();
        int copied;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m);
                WeightStore source = Checkpoints.open(weights)) {
            TransferResult t = Transferor.apply(source, layout, TransferPlan.automatic(), true);
            copied = (int) t.report().rows().stream().filter(r -> r.source().isPresent()).count();
            model.load(t.tensors());
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), data, null,
                    TrainConfig.simple(OptimizerKind.ADAMW, MINILM_LR, warm + steps, MINILM_BATCH), 0,
                    (rec, n) -> seconds.add(rec.seconds()));
            if (r.status() != TrainResult.Status.COMPLETED) {
                throw new IllegalStateException("MiniLM run ended " + r.status() + ": " + r.message());
            }
        }
        double[] timed = seconds.subList(warm, seconds.size()).stream().mapToDouble(d -> d * 1000).toArray();
        double mean = Arrays.stream(timed).average().orElse(Double.NaN);
        Arrays.sort(timed);
        double median = timed.length % 2 == 1 ? timed[timed.length / 2]
                : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
        long params = layout.params().stream().filter(p -> p.role().trainable()).mapToLong(p -> p.dims().count()).sum();
        long decayed = layout.params().stream().filter(ParamInfo::decayed).count();
        return String.format(Locale.ROOT, "\"minilm_ms\":%.3f,\"minilm_mean_ms\":%.3f,\"minilm_warm\":%d,"
                + "\"minilm_steps\":%d,\"minilm_tensors_copied\":%d,\"minilm_tensors\":%d,"
                + "\"minilm_decayed_tensors\":%d,\"minilm_params\":%d", median, mean, warm, steps, copied,
                layout.params().size(), decayed, params);
    }

    /**
     * The MiniLM batch, the same token ids as torch_step.py's {@code minilm_batch}: sample i has
     * 64 - 6i real tokens ([CLS] 101, ids in [1000, 30000), [SEP] 102), then padding (id 0);
     * label i mod 2.
     */
    static Examples minilmBatch() {
        int b = MINILM_BATCH;
        int l = MINILM_LENGTH;
        float[] x = new float[b * l];
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            int real = l - 6 * i;
            for (int j = 0; j < real; j++) {
                x[i * l + j] = j == 0 ? 101 : j == real - 1 ? 102 : 1000 + (i * 131 + j * 7919) % 29000;
            }
            y[i] = i % 2;
        }
        return new Examples(new Dims(l), x, y, 2);
    }

    /** A family's spec for 10 classes at 3x64x64, as an experiment's {@code model: {family, input}} builds it. */
    static ModelLayout family(String name) {
        ModelSpec s = Families.require(name).spec(10, 3);
        return ModelLayout.of(new ModelSpec(s.name(), s.source(), new Dims(3, 64, 64), s.root(), s.head()));
    }

    static Examples random(ModelLayout layout, int classes, int n) {
        Dims shape = layout.spec().input();
        Random r = new Random(0);
        float[] f = new float[(int) (n * shape.count())];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new Examples(shape, f, y, classes);
    }

    /** Milliseconds per step: (time of warm-up + steps) minus (time of warm-up alone), per step. */
    static double stepMs(ModelLayout layout, int classes, int batch, int steps) {
        return stepMs(layout, classes, batch, 20, steps);
    }

    static double stepMs(ModelLayout layout, int classes, int batch, int warmSteps, int steps) {
        double warm = fitSeconds(layout, classes, batch, warmSteps);
        double all = fitSeconds(layout, classes, batch, warmSteps + steps);
        return (all - warm) / steps * 1000;
    }

    static double fitSeconds(ModelLayout layout, int classes, int batch, int steps) {
        Examples data = random(layout, classes, batch * steps);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), layout,
                    new TransferPlan(List.of(), false, 0), true).tensors());
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), data, null,
                    TrainConfig.simple(OptimizerKind.ADAM, 1e-3, 1, batch), 0, TrainListener.NONE);
            return r.seconds();
        }
    }

    static double matmulGflops(int n, int reps) {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            return 2.0 * n * n * n * reps / ((System.nanoTime() - t) / 1e9) / 1e9;
        }
    }

    /** Resident set size (kB) after 100 steps and after {@code steps} steps of one long CNN run. */
    static long[] memory(ModelLayout layout, int steps) throws Exception {
        long[] out = new long[2];
        int batch = 32;
        Examples data = random(layout, 5, batch * 100);
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), layout,
                    new TransferPlan(List.of(), false, 0), true).tensors());
            int epochs = steps / 100;
            TrainListener l = (rec, n) -> {
                if (rec.epoch() == 0) {
                    out[0] = rss();
                }
            };
            FineTuner.fit(model, FineTuner.Policy.allTrainable(), data, null,
                    TrainConfig.simple(OptimizerKind.ADAM, 1e-3, epochs, batch), 0, l);
            out[1] = rss();
        }
        return out;
    }

    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return -1;
    }

    /**
     * The three extra modes. {@code memory MODEL STEPS}: resident memory over one fine-tune of STEPS
     * steps (100 per epoch) at a size that makes each step short (the CNN at batch 32, the MLP at 128,
     * ResNet-18 at batch 4 of 3x32x32, MiniLM at batch 2 of 16 tokens: the same tensors and calls per
     * step as the benchmark sizes, less arithmetic), RSS after every epoch. {@code profile MODEL
     * STEPS [OUT.jfr]}: a warm-up fine-tune of 20 steps, then a JFR recording (execution and
     * native-method samples every 10 ms, bench/JfrSplit.java splits it) of one of STEPS steps at the
     * benchmark's size. {@code ops MODEL STEPS [OUT.json]}: the same warm-up, then libtorch's autograd
     * profiler over one fine-tune of STEPS steps, written as a Chrome trace (bench/ops.sh).
     * MODEL: cnn, mlp, resnet18, mobilenet_v2, minilm.
     */
    static final class Modes {
        record Case(ModelLayout layout, Examples data, TrainConfig config, WeightStore weights) {}

        static Case of(String model, boolean small, int stepsPerEpoch) {
            return switch (model) {
                case "cnn" -> image(ModelLayout.of(read("examples/specs/small-cnn.yaml")), 5, small ? 32 : 64, stepsPerEpoch);
                case "mlp" -> image(ModelLayout.of(SpecParser.parse("mlp", MLP)), 10, 128, stepsPerEpoch);
                case "resnet18", "mobilenet_v2" -> {
                    ModelSpec s = Families.require(model).spec(10, 3);
                    int side = small ? 32 : 64;
                    yield image(ModelLayout.of(new ModelSpec(s.name(), s.source(), new Dims(3, side, side), s.root(),
                            s.head())), 10, small ? 4 : 32, stepsPerEpoch);
                }
                case "minilm" -> {
                    Path onnx = Path.of("graft-out/models/all-minilm-l6-v2/model.onnx");
                    int length = small ? 16 : MINILM_LENGTH;
                    int batch = small ? 2 : MINILM_BATCH;
                    ModelLayout layout = ModelLayout.of(BertFamily.spec(BertConfig.read(onnx), 2,
                            BertFamily.Pooling.MEAN, length, onnx.toString()));
                    Examples one = tokens(batch, length);
                    float[] x = new float[one.features().length * stepsPerEpoch];
                    int[] y = new int[batch * stepsPerEpoch];
                    for (int i = 0; i < stepsPerEpoch; i++) {
                        System.arraycopy(one.features(), 0, x, i * one.features().length, one.features().length);
                        System.arraycopy(one.labels(), 0, y, i * batch, batch);
                    }
                    yield new Case(layout, new Examples(new Dims(length), x, y, 2),
                            TrainConfig.simple(OptimizerKind.ADAMW, MINILM_LR, 1, batch),
                            Checkpoints.open(Path.of("graft-out/bench/minilm.safetensors")));
                }
                default -> throw new IllegalArgumentException("unknown model " + model);
            };
        }

        static ModelSpec read(String path) {
            try {
                return SpecParser.read(Path.of(path));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static Case image(ModelLayout layout, int classes, int batch, int stepsPerEpoch) {
            return new Case(layout, random(layout, classes, batch * stepsPerEpoch),
                    TrainConfig.simple(OptimizerKind.ADAM, 1e-3, 1, batch), new MemoryWeightStore(null, Map.of(), Map.of()));
        }

        /** minilmBatch's token pattern at any batch and length: sample i has length - 6i (at least 2) real tokens. */
        static Examples tokens(int b, int l) {
            float[] x = new float[b * l];
            int[] y = new int[b];
            for (int i = 0; i < b; i++) {
                int real = Math.max(2, l - 6 * i);
                for (int j = 0; j < real; j++) {
                    x[i * l + j] = j == 0 ? 101 : j == real - 1 ? 102 : 1000 + (i * 131 + j * 7919) % 29000;
                }
                y[i] = i % 2;
            }
            return new Examples(new Dims(l), x, y, 2);
        }

        static TrainResult fit(Case c, int epochs, TrainListener listener) {
            try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(c.layout(), m)) {
                model.load(Transferor.apply(c.weights(), c.layout(), TransferPlan.automatic(), true).tensors());
                TrainConfig t = c.config();
                TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), c.data(), null,
                        TrainConfig.simple(t.optimizer().kind(), t.optimizer().lr(), epochs, t.batchSize()), 0, listener);
                if (r.status() != TrainResult.Status.COMPLETED) {
                    throw new IllegalStateException(r.status() + ": " + r.message());
                }
                return r;
            }
        }

        static void main(String[] args) throws Exception {
            Engines.pytorch();
            String model = args[1];
            int steps = Integer.parseInt(args[2]);
            if (args[0].equals("memory")) {
                Case c = of(model, true, 100);
                List<String> curve = new ArrayList<>();
                long[] first = new long[1];
                fit(c, steps / 100, (rec, n) -> {
                    long kb = rss();
                    if (rec.epoch() == 0) {
                        first[0] = kb;
                    }
                    curve.add(String.format(Locale.ROOT, "%.0f", kb / 1024.0));
                });
                long last = rss();
                System.out.println(String.format(Locale.ROOT, "{\"model\":\"%s\",\"mem_steps\":%d,"
                        + "\"rss_mb_after_100\":%.1f,\"rss_mb_after_all\":%.1f,\"growth_mb\":%.1f,"
                        + "\"rss_mb_per_100_steps\":[%s]}", model, steps, first[0] / 1024.0, last / 1024.0,
                        (last - first[0]) / 1024.0, String.join(",", curve)));
            } else if (args[0].equals("ops")) {
                Case c = of(model, false, steps);
                fit(of(model, false, 20), 1, TrainListener.NONE);
                Path out = Path.of(args.length > 3 ? args[3] : "graft-out/bench/" + model + "-ops.json");
                Files.createDirectories(out.toAbsolutePath().getParent());
                TrainResult r;
                try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel net = GraftModel.build(c.layout(), m)) {
                    net.load(Transferor.apply(c.weights(), c.layout(), TransferPlan.automatic(), true).tensors());
                    TrainConfig t = c.config();
                    // libtorch's own autograd profiler, the one torch.profiler reads: both engines' operators
                    // by name; started after the model is built, so its initialization stays out
                    ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
                    r = FineTuner.fit(net, FineTuner.Policy.allTrainable(), c.data(), null,
                            TrainConfig.simple(t.optimizer().kind(), t.optimizer().lr(), 1, t.batchSize()), 0,
                            TrainListener.NONE);
                    ai.djl.pytorch.jni.JniUtils.stopProfile(out.toString());
                }
                System.out.println(String.format(Locale.ROOT, "{\"model\":\"%s\",\"steps\":%d,"
                        + "\"ms_per_step\":%.2f,\"trace\":\"%s\"}", model, steps, r.seconds() * 1000 / steps, out));
            } else {
                Case c = of(model, false, steps);
                // warm-up: JIT and libtorch's first-call costs stay out of the recording
                fit(of(model, false, 20), 1, TrainListener.NONE);
                jdk.jfr.Configuration conf = jdk.jfr.Configuration.getConfiguration("profile");
                try (jdk.jfr.Recording rec = new jdk.jfr.Recording(conf)) {
                    rec.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
                    rec.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(10));
                    rec.start();
                    TrainResult r = fit(c, 1, TrainListener.NONE);
                    rec.stop();
                    Path out = Path.of(args.length > 3 ? args[3] : "graft-out/bench/" + model + ".jfr");
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    rec.dump(out);
                    System.out.println(String.format(Locale.ROOT, "{\"model\":\"%s\",\"steps\":%d,"
                            + "\"ms_per_step\":%.2f,\"jfr\":\"%s\"}", model, steps, r.seconds() * 1000 / steps, out));
                }
            }
        }
    }
}
