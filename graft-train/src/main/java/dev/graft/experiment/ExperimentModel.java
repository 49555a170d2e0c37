package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecParser;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.model.family.Families;
import dev.graft.model.family.Family;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The network an experiment's {@code model} section names: a spec file, a torchvision family built
 * by name, or the {@code bert} family built from a Hugging Face config.
 */
public final class ExperimentModel {
    private ExperimentModel() {}

    /**
     * The spec an experiment's {@code model} names: its spec file, or its family's spec.
     *
     * @throws GraftInputException if both or neither are given, or the family is unknown or incomplete
     */
    public static ModelSpec spec(ExperimentConfig.ModelSection m, Path dir, String where) {
        if (m.family() == null) {
            if (m.spec() == null) {
                throw new GraftInputException(where + ": give a spec file or a family");
            }
            if (m.numClasses() != null || m.input() != null || m.config() != null || m.pooling() != null) {
                throw new GraftInputException(where + ": num_classes, input, config and pooling go with family; a spec"
                        + " file states its own");
            }
            return SpecParser.read(ExperimentRunner.resolve(dir, m.spec()));
        }
        if (m.spec() != null) {
            throw new GraftInputException(where + ": give either spec or family, not both");
        }
        boolean bert = BertFamily.NAME.equals(m.family());
        Family f = bert ? null : Families.get(m.family()).orElseThrow(() -> new GraftInputException(where
                + ": unknown family '" + m.family() + "' (known: " + String.join(", ", Families.names()) + ", "
                + BertFamily.NAME + ")"));
        if (m.numClasses() == null || m.numClasses() <= 0) {
            throw new GraftInputException(where + ": a family needs num_classes, a positive integer");
        }
        if (bert) {
            return bert(m, dir, where);
        }
        if (m.config() != null || m.pooling() != null) {
            throw new GraftInputException(where + ": config and pooling go with family: bert, not " + m.family());
        }
        if (m.input() == null) {
            return f.spec(m.numClasses());
        }
        if (m.input().size() != 3 || m.input().stream().anyMatch(v -> v == null || v <= 0)) {
            throw new GraftInputException(where + ".input: must be [C, H, W], positive integers");
        }
        ModelSpec s = f.spec(m.numClasses(), m.input().get(0));
        return new ModelSpec(s.name(), s.source(), new Dims(m.input().stream().mapToLong(Integer::longValue).toArray()),
                s.root(), s.head());
    }

    /**
     * The bert family: its config read from {@code config} (a config.json or an ONNX export,
     * relative to the experiment), {@code input: [L]} (default {@link BertFamily#DEFAULT_LENGTH},
     * at most the config's {@code max_position_embeddings}) and {@code pooling} (default mean).
     */
    private static ModelSpec bert(ExperimentConfig.ModelSection m, Path dir, String where) {
        if (m.config() == null) {
            throw new GraftInputException(where + ": family bert needs config: the model's Hugging Face config.json or"
                    + " its ONNX export");
        }
        String p = m.pooling() == null ? "mean" : m.pooling().toLowerCase(Locale.ROOT);
        BertFamily.Pooling pooling = BertFamily.Pooling.of(p).orElseThrow(() -> new GraftInputException(where
                + ".pooling: '" + m.pooling() + "' is none of " + BertFamily.Pooling.keywords()));
        int length = BertFamily.DEFAULT_LENGTH;
        if (m.input() != null) {
            if (m.input().size() != 1 || m.input().get(0) == null || m.input().get(0) <= 0) {
                throw new GraftInputException(where + ".input: must be [L], the sequence length in tokens (bert takes"
                        + " token ids), got " + m.input());
            }
            length = m.input().get(0);
        }
        Path file = ExperimentRunner.resolve(dir, m.config());
        BertConfig c = BertConfig.read(file);
        if (length > c.maxPositions()) {
            throw new GraftInputException(where + ".input: [" + length + "] is longer than " + file
                    + "'s max_position_embeddings " + c.maxPositions() + (m.input() == null ? " (128 is the default)" : ""));
        }
        return BertFamily.spec(c, m.numClasses(), pooling, length, file.toString());
    }

    /**
     * The layout of the model; for a family whose {@code input} is too small for its network, an
     * error naming the key and the smallest square size that works, not the layer deep inside.
     */
    static ModelLayout layout(ExperimentConfig.ModelSection m, Path dir, String label) {
        ModelSpec spec = spec(m, dir, label + ": model");
        try {
            return ModelLayout.of(spec);
        } catch (dev.graft.model.SpecException e) {
            if (m.family() == null || m.input() == null || BertFamily.NAME.equals(m.family())) {
                throw e;
            }
            long channels = spec.input().get(0);
            for (int size = 1; size <= 1024; size++) {
                try {
                    ModelLayout.of(new ModelSpec(spec.name(), spec.source(), new Dims(channels, size, size), spec.root(),
                            spec.head()));
                    throw new GraftInputException(label + ": model.input: " + m.input() + " is too small for "
                            + m.family() + " (the smallest square input it takes is [" + channels + ", " + size + ", "
                            + size + "]): " + e.getMessage());
                } catch (dev.graft.model.SpecException smaller) {
                    // not this size either
                }
            }
            throw e;
        }
    }

}
