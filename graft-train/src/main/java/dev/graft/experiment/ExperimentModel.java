package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecParser;
import dev.graft.model.family.Families;
import dev.graft.model.family.Family;
import java.nio.file.Path;

/** The network an experiment's {@code model} section names: a spec file, or a family built by name. */
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
            if (m.numClasses() != null || m.input() != null) {
                throw new GraftInputException(where + ": num_classes and input go with family; a spec file states its own");
            }
            return SpecParser.read(ExperimentRunner.resolve(dir, m.spec()));
        }
        if (m.spec() != null) {
            throw new GraftInputException(where + ": give either spec or family, not both");
        }
        Family f = Families.get(m.family()).orElseThrow(() -> new GraftInputException(where + ": unknown family '"
                + m.family() + "' (known: " + String.join(", ", Families.names()) + ")"));
        if (m.numClasses() == null || m.numClasses() <= 0) {
            throw new GraftInputException(where + ": a family needs num_classes, a positive integer");
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
     * The layout of the model; for a family whose {@code input} is too small for its network, an
     * error naming the key and the smallest square size that works, not the layer deep inside.
     */
    static ModelLayout layout(ExperimentConfig.ModelSection m, Path dir, String label) {
        ModelSpec spec = spec(m, dir, label + ": model");
        try {
            return ModelLayout.of(spec);
        } catch (dev.graft.model.SpecException e) {
            if (m.family() == null || m.input() == null) {
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
