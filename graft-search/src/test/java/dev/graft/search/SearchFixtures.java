package dev.graft.search;

import java.nio.file.Path;

/** The few-shot experiment the search tests share: the shipped CNN, source and target pool. */
final class SearchFixtures {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private SearchFixtures() {}

    /** Experiment YAML on the shipped data; {@code rest} adds or continues top-level keys after 'data'. */
    static String experiment(String name, int validationPerClass, String rest) {
        return """
                name: %s
                model: %s/examples/specs/small-cnn.yaml
                source: {checkpoint: %s/examples/checkpoints/fashion-source.safetensors}
                data:
                  train_images: %s/data/fashion/target-pool-images-idx3-ubyte.gz
                  train_labels: %s/data/fashion/target-pool-labels-idx1-ubyte.gz
                  test_images: %s/data/fashion/target-test-images-idx3-ubyte.gz
                  test_labels: %s/data/fashion/target-test-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                  validation_per_class: %d
                  normalize: {mean: [0.286], std: [0.353]}
                train: {batch_size: 25}
                """.formatted(name, ROOT, ROOT, ROOT, ROOT, ROOT, ROOT, validationPerClass) + rest;
    }
}
