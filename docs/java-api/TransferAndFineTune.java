import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.data.IdxReader;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainListener;
import dev.graft.train.TrainResult;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Graft as a library: transfer the shipped source CNN into the 5-class target task under a plan,
 * fine-tune it on 10 images per class, measure it, and save it. Arguments: the repository root
 * (default: the working directory) and the output file (default graft-out/java-api/model.safetensors).
 * The tests compile and run this file as it is.
 */
public final class TransferAndFineTune {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");

        // 1. The target network (a YAML spec) and the source weights (safetensors, npz or TorchScript).
        ModelLayout target = ModelLayout.of(SpecParser.read(root.resolve("examples/specs/small-cnn.yaml")));
        try (WeightStore source = Checkpoints.open(root.resolve("examples/checkpoints/fashion-source.safetensors"))) {

            // 2. A plan: the convolutional trunk is transferred and frozen, the hidden layer is
            //    transferred and fine-tunes at half the base rate, the head starts afresh.
            TransferPlan plan = PlanCodec.parse("inline plan", """
                    seed: 7
                    rules:
                      - regex: "features\\\\..*"
                        mode: frozen
                      - match: "classifier.1.*"
                        lr: 0.5
                      - match: "classifier.4.*"
                        mode: reinit
                        init: xavier
                    """);
            TransferResult transfer = Transferor.apply(source, target, plan, false);
            System.out.print(transfer.report().toTable());

            // 3. The target data: the shipped Fashion-MNIST subset, 10 labelled images per class.
            int[] classes = {2, 4, 6, 7, 9};
            Examples.Normalization norm = new Examples.Normalization(new float[] {0.2860f}, new float[] {0.3530f});
            Path data = root.resolve("data/fashion");
            Examples pool = IdxReader.read(data.resolve("target-pool-images-idx3-ubyte.gz"),
                    data.resolve("target-pool-labels-idx1-ubyte.gz"), 10).selectClasses(classes).normalized(norm);
            Examples test = IdxReader.read(data.resolve("target-test-images-idx3-ubyte.gz"),
                    data.resolve("target-test-labels-idx1-ubyte.gz"), 10).selectClasses(classes).normalized(norm);
            Examples train = pool.kShot(10, 0).first();

            // 4. Fine-tune under the plan's modes (frozen tensors never change), then measure.
            try (NDManager manager = Engines.pytorch().newBaseManager();
                    GraftModel model = GraftModel.build(target, manager)) {
                model.load(transfer.tensors());
                TrainResult result = FineTuner.fit(model, new FineTuner.Policy(transfer.modes(),
                        transfer.frozenUnits()), train, null, TrainConfig.simple(OptimizerKind.ADAM, 1e-3, 15, 25),
                        0, TrainListener.NONE);
                ClassificationMetrics metrics = Evaluator.evaluate(model, test, 256);
                System.out.printf("%s after %d epochs: test accuracy %.3f, macro-F1 %.3f on %d images%n",
                        result.status(), result.history().size(), metrics.accuracy(), metrics.macroF1(), test.size());

                // 5. Save the fine-tuned weights with PyTorch state_dict names.
                Path out = args.length > 1 ? Path.of(args[1]) : root.resolve("graft-out/java-api/model.safetensors");
                SafetensorsWriter.write(out, model.stateDict(), Map.of("format", "pt"));
                System.out.println("wrote " + out);
            }
        }
    }
}
