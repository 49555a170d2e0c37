package dev.graft.testing;

import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Experiments on the shipped few-shot task, for tests: the demo CNN, its source and the target data. */
public final class ShippedTask {
    private ShippedTask() {}

    /** The repository root. */
    public static Path root() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /**
     * Writes {@code dir/NAME.yaml} (5 validation images per class, output {@code dir/out}) and
     * prepares it; {@code rest} adds top-level keys, with {@code $ROOT} for the repository root.
     */
    public static Prepared prepare(Path dir, String name, String rest) throws IOException {
        Path root = root();
        Path exp = dir.resolve(name + ".yaml");
        Files.writeString(exp, """
                name: %3$s
                model: %1$s/examples/specs/small-cnn.yaml
                source: {checkpoint: %1$s/examples/checkpoints/fashion-source.safetensors}
                output: %2$s
                data:
                  train_images: %1$s/data/fashion/target-pool-images-idx3-ubyte.gz
                  train_labels: %1$s/data/fashion/target-pool-labels-idx1-ubyte.gz
                  test_images: %1$s/data/fashion/target-test-images-idx3-ubyte.gz
                  test_labels: %1$s/data/fashion/target-test-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                  validation_per_class: 5
                  normalize: {mean: [0.286], std: [0.353]}
                """.formatted(root, dir.resolve("out"), name) + rest.replace("$ROOT", root.toString()));
        return ExperimentRunner.prepare(ExperimentLoader.read(exp), exp, ExperimentRunner.Progress.NONE);
    }
}
