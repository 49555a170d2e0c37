package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.AtomicFiles;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.WeightStore;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Preprocessing;
import dev.graft.experiment.TaskData;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.train.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft predict}: a trained model's class and probabilities for every sample, and the metrics. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a checkpoint written by graft train: the class and class probabilities of every "
                + "sample of DATA (read and normalized as the model's training data was), and accuracy, macro-F1 "
                + "and the confusion matrix of the labelled samples; for a regression model (task: regression) the "
                + "predicted value of every sample, and RMSE, MAE and R² of those with a target.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--model", required = true, paramLabel = "SPEC",
            description = "The model spec (YAML), or a family as NAME:K (e.g. resnet18:5).")
    String model;

    @Option(names = "--weights", required = true, paramLabel = "CKPT",
            description = "The trained weights (model.safetensors of graft train).")
    Path weights;

    @Parameters(paramLabel = "DATA", description = "The data, in the format the model was trained on: a CSV file "
            + "(with the label column, or without it), an image folder (one sub-folder per class), IDX images, or a "
            + "text CSV or JSON-lines file (with the label column or field, or without it).")
    Path data;

    @Option(names = "--tokenizer", paramLabel = "JSON", description = "For a model trained on texts: the "
            + "tokenizer.json it was trained with, when it is no longer where training read it (it must be the same "
            + "file: its SHA-256 is checked).")
    Path tokenizer;

    @Option(names = "--labels", paramLabel = "IDX", description = "IDX labels of IDX images.")
    Path labels;

    @Option(names = "--out", paramLabel = "CSV",
            description = "Write one row per sample: index, true label (when known), predicted class, probabilities; "
                    + "for a regression model: index, true value (when known), predicted value.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var console = spec.commandLine().getOut();
        if (out != null) {
            requireWritableOut();
        }
        ModelLayout layout = ModelLayout.of(TransferInputs.specOrFamily(model));
        try (WeightStore w = Checkpoints.open(weights)) {
            Preprocessing pre = Preprocessing.fromMetadata(w.metadata(), weights.toString());
            if (tokenizer != null) {
                pre = pre.withTokenizer(tokenizer);
            }
            if (pre.classNames().size() != layout.output().get(0)) {
                throw new GraftInputException(weights + ": trained for " + pre.classNames().size() + " classes but "
                        + model + " has " + layout.output().get(0) + " outputs");
            }
            String format = pre.data().format() == null ? "idx" : pre.data().format();
            if (labels != null && !format.equals("idx")) {
                throw new GraftInputException("--labels " + labels + ": labels files go with IDX images; this model "
                        + "was trained on " + format + " data, whose labels are in the data itself");
            }
            PredictionData input = PredictionData.load(pre, data, labels, layout.spec().input().count());
            if (TransferInputs.isFamily(model)) {
                layout = TrainedModel.familyAsTrained(layout, w, input.examples().sampleShape());
            }
            if (!input.examples().sampleShape().equals(layout.spec().input())) {
                // an experiment's remedies (resizing options) do not exist here: the model is the mismatch
                throw new GraftInputException(data + ": samples are " + input.examples().sampleShape() + " but "
                        + model + " takes " + layout.spec().input() + "; predict with the spec or family the weights "
                        + "were trained with");
            }
            if (pre.data().text() != null) {
                Path tok = Path.of(pre.data().text().tokenizer());
                try (var t = dev.graft.data.TextTokenizer.open(tok, pre.data().text().maxLength())) {
                    dev.graft.experiment.TokenAgreement.require(layout, t.padId(), tok, data.toString(),
                            input.examples());
                }
            }
            var tensors = TrainedModel.strictTensors(w, layout, weights, model);
            float[] logits;
            dev.graft.experiment.HeadFile headFile = dev.graft.experiment.HeadFile.of(w.metadata(), weights.toString());
            if (headFile != null) {
                logits = classical(headFile, layout, tensors, input.examples(), pre.classNames().size());
            } else {
                try (var manager = Engines.pytorch().newBaseManager();
                        GraftModel m = GraftModel.build(layout, manager)) {
                    m.load(tensors);
                    logits = Evaluator.logits(m, input.examples(), 256);
                }
            }
            if (pre.target() != null) {
                RegressionPredictions rp = RegressionPredictions.of(logits, pre.target(), input);
                console.println(String.format(Locale.ROOT, "%d samples of %s, regression of %s", input.examples().size(),
                        data, pre.target().column()));
                if (input.labelled()) {
                    var rm = rp.metrics(logits);
                    console.println(String.format(Locale.ROOT, "RMSE %.4g  MAE %.4g  R² %.4f", rm.rmse(), rm.mae(),
                            rm.r2()));
                } else {
                    console.print(rp.summary());
                }
                if (out != null) {
                    AtomicFiles.writeString(out, rp.csv());
                    console.println("wrote " + out);
                }
                console.flush();
                return 0;
            }
            Predictions p = Predictions.of(logits, pre.classNames(), input);
            console.println(String.format(Locale.ROOT, "%d samples of %s, %d classes (%s)", input.examples().size(),
                    data, pre.classNames().size(), String.join(", ", pre.classNames())));
            if (input.labelled()) {
                ClassificationMetrics cm = p.metrics();
                console.println(String.format(Locale.ROOT, "accuracy %.4f  macro-F1 %.4f", cm.accuracy(), cm.macroF1()));
                console.print(p.confusionTable(cm));
            } else {
                console.print(p.counts());
            }
            if (out != null) {
                AtomicFiles.writeString(out, p.csv());
                console.println("wrote " + out);
            }
            console.flush();
        }
        return 0;
    }

    /**
     * A classical head's predictions (the checkpoint's {@code graft.head}): the network up to the
     * head's layer, then the head file beside the checkpoint on its input; returned as the log of
     * its probabilities, which the softmax of {@link Predictions} turns back into them.
     */
    private float[] classical(dev.graft.experiment.HeadFile headFile, ModelLayout layout,
            java.util.Map<String, dev.graft.checkpoint.Tensor> tensors, dev.graft.data.Examples data, int classes) {
        dev.graft.train.ClassicalHead head = headFile.load(weights, classes);
        dev.graft.model.ModelSplit split = dev.graft.model.ModelSplit.before(layout.spec(), headFile.layer(), true)
                .orElseThrow(() -> new GraftInputException(weights + ": its classical head reads the input of layer '"
                        + headFile.layer() + "', which " + model + " cannot be cut before"));
        ModelLayout prefix = ModelLayout.of(split.prefix());
        dev.graft.data.Examples features;
        try (var manager = Engines.pytorch().newBaseManager(); GraftModel m = GraftModel.build(prefix, manager)) {
            m.load(prefix.tensorsOf(tensors));
            features = Evaluator.activations(m, data);
        }
        float[] p = head.probabilities(features);
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]);
        }
        return logits;
    }

    /**
     * The --out file, checked before predicting: a folder, a path through a file, or the input
     * data itself (which the predictions would replace) is refused then, not after the work.
     */
    private void requireWritableOut() throws java.io.IOException {
        if (java.nio.file.Files.isDirectory(out)) {
            throw new GraftInputException("--out " + out + ": is a folder; give a file name");
        }
        if (java.nio.file.Files.exists(out) && java.nio.file.Files.exists(data)
                && java.nio.file.Files.isSameFile(out, data)) {
            throw new GraftInputException("--out " + out + ": is the input data; write the predictions elsewhere");
        }
        Path parent = out.toAbsolutePath().getParent();
        ExperimentRunner.requireWritable(parent == null ? Path.of(".") : parent, "--out " + out);
    }
}
