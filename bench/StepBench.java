import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecParser;
import dev.graft.model.family.Families;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.train.TrainResult;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.Transferor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Graft's side of bench/run.sh: the training-step time of the small CNN, an MLP, and torchvision's
 * ResNet-18 and MobileNetV2 (as Graft's families build them, 3x64x64 input, batch 32) through
 * Graft's own fine-tuning loop (batch assembly, NDScope, optimizer and all), a matmul peak, and
 * resident memory over 2,000 CNN steps. Prints one JSON line. Run by bench/run.sh.
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

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int memSteps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int bigSteps = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Engines.pytorch();
        ModelLayout cnn = ModelLayout.of(SpecParser.read(Path.of("examples/specs/small-cnn.yaml")));
        ModelLayout mlp = ModelLayout.of(SpecParser.parse("mlp", MLP));
        double cnnMs = stepMs(cnn, 5, 64, steps);
        double mlpMs = stepMs(mlp, 10, 128, steps);
        double peak = matmulGflops(1024, 20);
        long[] rss = memory(cnn, memSteps);
        // after the memory check, so that its RSS baseline is the same as before these models were added
        double resnetMs = stepMs(family("resnet18"), 10, 32, BIG_WARM, bigSteps);
        double mobilenetMs = stepMs(family("mobilenet_v2"), 10, 32, BIG_WARM, bigSteps);
        System.out.println(String.format(Locale.ROOT,
                "{\"djl\":\"0.36.0\",\"pytorch\":\"2.7.1\",\"threads\":%s,\"cnn_ms\":%.3f,\"mlp_ms\":%.3f,"
                        + "\"resnet18_ms\":%.3f,\"mobilenet_v2_ms\":%.3f,\"big_steps\":%d,"
                        + "\"matmul_gflops\":%.2f,\"rss_mb_after_100\":%.1f,\"rss_mb_after_all\":%.1f,\"mem_steps\":%d}",
                System.getProperty("ai.djl.pytorch.num_threads"), cnnMs, mlpMs, resnetMs, mobilenetMs, bigSteps, peak,
                rss[0] / 1024.0, rss[1] / 1024.0, memSteps));
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
}
