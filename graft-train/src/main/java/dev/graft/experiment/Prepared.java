package dev.graft.experiment;

import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.train.TrainConfig;
import java.nio.file.Path;

/**
 * An experiment with its files loaded: everything a run needs.
 *
 * @param config the experiment as written
 * @param file the experiment file
 * @param layout the target model
 * @param data the target task's data
 * @param source the source weights (empty for none)
 * @param sourceLabel the source's file name, or {@code pretrain}, or {@code none}
 * @param sourceSha256 the source checkpoint's hash, or empty
 * @param train the base training configuration
 * @param output the output folder
 * @param sourceTask the source task to measure and protect, or null when the experiment names none
 */
public record Prepared(ExperimentConfig config, Path file, ModelLayout layout, TaskData data, WeightStore source,
        String sourceLabel, String sourceSha256, TrainConfig train, Path output,
        dev.graft.retention.SourceTask sourceTask) {

    /** The folder relative paths in the experiment are resolved against. */
    public Path dir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
