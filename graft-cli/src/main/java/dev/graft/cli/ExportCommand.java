package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.export.OnnxExport;
import dev.graft.model.ModelLayout;
import dev.graft.provenance.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code graft export}: a model and its trained weights as an ONNX model (see {@link OnnxExport}),
 * float32 or with int8 weights, written atomically.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model with its weights as an ONNX model (IR 8, opset 17): input 'input' [batch, "
                + "...sample shape], output 'logits', the weights as initializers under their PyTorch names. "
                + "--int8 stores linear and convolution weights as int8 per output channel.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--model", required = true, paramLabel = "SPEC",
            description = "The model spec (YAML; for BERT, the file graft spec bert:K --config ... writes), or a "
                    + "family as NAME:K (e.g. resnet18:5).")
    String model;

    @Option(names = "--weights", required = true, paramLabel = "CKPT",
            description = "The weights (model.safetensors of graft train, or any checkpoint whose tensors have the "
                    + "model's names and shapes).")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    @Option(names = "--int8", description = "Store the weights of linear and convolution layers as int8, per output "
            + "channel and symmetric, dequantized in the graph (DequantizeLinear); everything else stays float32.")
    boolean int8;

    @Option(names = "--input", split = ",", paramLabel = "C,H,W", description = "For a family: the image size to "
            + "export for, such as 1,28,28 (default: the family's, with the input channels of the weights' stem). A "
            + "spec file sets its own input.")
    List<Long> input;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new GraftInputException("--out " + out + ": is a folder; give a file name");
        }
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            // before: --out model.safetensors got an ONNX file under a checkpoint's name
            throw new GraftInputException("--out " + out + ": graft export writes ONNX; give a file name ending in .onnx");
        }
        Path parent = out.toAbsolutePath().getParent();
        ExperimentRunner.requireWritable(parent == null ? Path.of(".") : parent, "--out " + out);
        ModelLayout layout = ModelLayout.of(TransferInputs.specOrFamily(model));
        boolean family = TransferInputs.isFamily(model);
        Dims size = layout.spec().input();
        if (input != null) {
            if (!family) {
                throw new GraftInputException("--input goes with a family (NAME:K); " + model + " sets its own input");
            }
            if (input.size() != 3 || input.stream().anyMatch(v -> v <= 0)) {
                throw new GraftInputException("--input " + input + ": give three positive sizes C,H,W");
            }
            size = new Dims(input.get(0), input.get(1), input.get(2));
        }
        String sha = Checkpoints.sha256(weights);
        try (WeightStore w = Checkpoints.open(weights)) {
            if (w.metadata().containsKey(dev.graft.experiment.HeadFile.KEY)) {
                // its network's own head is as initialized: exported, it would classify at chance
                throw new GraftInputException(weights + ": this model's head is a classical one (metadata "
                        + dev.graft.experiment.HeadFile.KEY + "), which ONNX export cannot hold; export a strategy "
                        + "whose head is the network's own");
            }
            if (family) {
                layout = TrainedModel.familyAsTrained(layout, w, size);
                if (input != null && layout.spec().input().get(0) != size.get(0)) {
                    throw new GraftInputException("--input " + input + ": " + weights + "'s stem takes "
                            + layout.spec().input().get(0) + " channels, not " + size.get(0));
                }
            }
            Map<String, Tensor> tensors = TrainedModel.strictTensors(w, layout, weights, model);
            OnnxExport e = OnnxExport.of(layout, tensors, int8,
                    Provenance.now(weights.getFileName().toString(), sha));
            e.write(out);
            var console = spec.commandLine().getOut();
            console.println(String.format(Locale.ROOT, "wrote %s: ONNX opset %d, input %s %s, output %s %s, %d nodes, "
                    + "%d initializers, %.1f MB%s", out, OnnxExport.OPSET, OnnxExport.INPUT,
                    batch(layout.spec().input()), OnnxExport.OUTPUT, batch(layout.output()), e.nodes(),
                    e.initializers(), e.bytes() / 1e6, int8 ? "; int8 weights: " + e.quantized().size() : ""));
            console.flush();
        }
        return 0;
    }

    /** {@code [batch, ...]} of a per-sample shape. */
    private static String batch(Dims sample) {
        StringBuilder b = new StringBuilder("[batch");
        for (long s : sample.sizes()) {
            b.append(", ").append(s);
        }
        return b.append(']').toString();
    }
}
