package dev.graft.cli;

import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecWriter;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.model.family.Families;
import dev.graft.model.family.Family;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code graft spec NAME[:K]}: a model family written out as a plain YAML spec, to edit; the
 * {@code bert} family from the config {@code --config} names.
 */
@Command(name = "spec", mixinStandardHelpOptions = true,
        description = "Print a model family (resnet18, mobilenet_v2, ..., or bert with --config) as a YAML model spec,"
                + " to save and edit.")
final class SpecCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(arity = "0..1", paramLabel = "NAME[:CLASSES]",
            description = "The family and its class count (default 1000; bert's 2), such as resnet18:5 or bert:3.")
    String target;

    @Option(names = "--config", paramLabel = "FILE",
            description = "bert: the model's Hugging Face config.json, or its ONNX export (the config is read off the"
                    + " graph).")
    Path config;

    @Option(names = "--pooling", paramLabel = "MODE", description = "bert: mean (default), cls or pooler.")
    String pooling;

    @Option(names = "--length", paramLabel = "L", description = "bert: the sequence length in tokens, at least 2 ([CLS] and [SEP]) (default 128, or the "
            + "model's max_position_embeddings when smaller).")
    Integer length;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels (default: the family's, 3).")
    Integer channels;

    @Option(names = "--list", description = "List the families with their default input, stem and head.")
    boolean list;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list && target != null) {
            throw new dev.graft.GraftInputException("give a family to print or --list, not both");
        }
        if (list || target == null) {
            out.printf("%-20s %-16s %-18s %s%n", "family", "default input", "stem", "head");
            for (Family f : Families.all()) {
                out.printf("%-20s %-16s %-18s %s%n", f.name(), f.defaultInput(), f.stem(), f.head());
            }
            out.printf("%-20s %-16s %-18s %s%n", BertFamily.NAME, "[" + BertFamily.DEFAULT_LENGTH + "]", "-",
                    BertFamily.HEAD + " (sizes from --config)");
            out.flush();
            return 0;
        }
        String name = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        if (name.equals(BertFamily.NAME)) {
            out.print(SpecWriter.write(bert()));
            out.flush();
            return 0;
        }
        if (config != null || pooling != null || length != null) {
            throw new dev.graft.GraftInputException("--config, --pooling and --length go with bert, not " + name);
        }
        ModelSpec s = Families.spec(target);
        if (channels != null) {
            if (channels <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--channels must be positive");
            }
            int classes = (int) ModelLayout.of(s).output().get(0);
            s = Families.require(s.name()).spec(classes, channels);
        }
        out.print(SpecWriter.write(s));
        out.flush();
        return 0;
    }

    /** The bert family for {@code bert[:K]} and the bert options. */
    private ModelSpec bert() {
        if (config == null) {
            throw new dev.graft.GraftInputException("bert is built from a config: give --config with the model's"
                    + " Hugging Face config.json or its ONNX export");
        }
        if (channels != null) {
            throw new dev.graft.GraftInputException("--channels goes with image families, not bert (use --length)");
        }
        int classes = 2;
        if (target.contains(":")) {
            String k = target.substring(target.indexOf(':') + 1);
            classes = k.matches("\\d{1,9}") ? Integer.parseInt(k) : 0;
            if (classes <= 0) {
                throw new dev.graft.GraftInputException(target + ": the class count after ':' must be a positive integer");
            }
        }
        BertFamily.Pooling p = BertFamily.Pooling.of(pooling == null ? "mean" : pooling.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new dev.graft.GraftInputException("--pooling: '" + pooling + "' is none of "
                        + BertFamily.Pooling.keywords()));
        BertConfig c = BertConfig.read(config);
        int l = length == null ? Math.min(BertFamily.DEFAULT_LENGTH, c.maxPositions()) : length;
        // a text sample holds at least [CLS] and [SEP], as data.text.max_length requires
        if (l < 2 || l > c.maxPositions()) {
            throw new dev.graft.GraftInputException("--length " + l + " must be between 2 and " + config
                    + "'s max_position_embeddings " + c.maxPositions());
        }
        return BertFamily.spec(c, classes, p, l, config.toString());
    }
}
