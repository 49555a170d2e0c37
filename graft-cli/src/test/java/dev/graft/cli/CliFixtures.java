package dev.graft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Experiments on the shipped few-shot data, for command-line tests. */
final class CliFixtures {
    private CliFixtures() {}

    /**
     * Writes {@code dir/exp.yaml}: the shipped CNN, source and target data, output {@code dir/out};
     * {@code rest} continues the data section or adds top-level keys.
     */
    static Path experiment(Path dir, String name, String rest) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: %s
                model: %s/examples/specs/small-cnn.yaml
                source: {checkpoint: %s/examples/checkpoints/fashion-source.safetensors}
                output: %s
                data:
                  train_images: %s/data/fashion/target-pool-images-idx3-ubyte.gz
                  train_labels: %s/data/fashion/target-pool-labels-idx1-ubyte.gz
                  test_images: %s/data/fashion/target-test-images-idx3-ubyte.gz
                  test_labels: %s/data/fashion/target-test-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                """.formatted(name, root, root, dir.resolve("out"), root, root, root, root) + rest);
        return exp;
    }

    /** The shipped examples folder. */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    /**
     * The text of a shipped example experiment with its paths made absolute and its output in
     * {@code dir/out}, then each pair of {@code replacements} applied in turn.
     */
    static String shippedExample(Path dir, String name, String... replacements) throws IOException {
        String text = Files.readString(EXAMPLES.resolve("experiments/" + name + ".yaml"))
                .replace("../specs/", EXAMPLES + "/specs/").replace("../data/", EXAMPLES + "/data/")
                .replaceAll("(?m)^output: .*$", "output: " + dir.resolve("out"));
        for (int i = 0; i < replacements.length; i += 2) {
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        return text;
    }
}
