package dev.graft.experiment;

import dev.graft.data.DataLimits;
import dev.graft.data.Examples;
import dev.graft.experiment.ExperimentConfig.DataSection;
import java.nio.file.Path;
import java.util.List;

/**
 * One value of {@code data.format}: how its files become a training pool and a test set, how new
 * samples are read for prediction, and what a sample is. {@link DataFormats} holds them by name;
 * {@link TaskData} does what every format shares (class selection, splits, caps, groups by class,
 * normalization). Implementations are stateless and thread-safe.
 */
interface DataFormat {
    /**
     * What a sample holds; options that only make sense on some (normalization, shifts,
     * augmentation) are refused on the others.
     */
    enum Samples {
        /** Pixels in [0, 1], {@code [C, H, W]}. */
        IMAGES,
        /** Numbers, {@code [F]}. */
        FEATURES,
        /** Token ids, {@code [L]}: names of tokens, not measurements. */
        TOKENS
    }

    Samples samples();

    /** Whether {@code data.groups.column} can name a column (or field) of this format's files. */
    boolean groupColumn();

    /** Whether {@code data.groups.by_file} applies: each sample is a file. */
    boolean groupFiles();

    /**
     * What a read needs.
     *
     * @param d the data section
     * @param base the folder relative paths are resolved against
     * @param where the section's key for messages ({@code exp.yaml: data})
     * @param train the training file or folder
     * @param test the test file or folder, or null
     * @param limits the bounds on what the files may make Graft allocate
     */
    record Input(DataSection d, Path base, String where, Path train, Path test, DataLimits limits) {}

    /**
     * The pool and test set as the files hold them: before class selection, splits and normalization.
     *
     * @param pool the training pool
     * @param test the test set, or null
     * @param names the class names in class order, or null when classes are numbers
     * @param namedByClassNames whether {@code class_names} fixed the class list by name (its names
     *     are then not display names to check against the class count)
     * @param hidden hidden entries skipped, each with its folder
     * @param text what tokenized the texts, or null for other formats
     */
    record Read(Examples pool, Examples test, List<String> names, boolean namedByClassNames, List<String> hidden,
            TextSummary text) {}

    /**
     * Reads the training pool and, when {@link Input#test()} is set, the test set, whose labels map
     * onto the pool's classes by name.
     *
     * @throws dev.graft.GraftInputException naming the file or key for anything it cannot use
     */
    Read read(Input in);

    /**
     * Reads samples to predict, prepared as training's were (normalization aside, which the caller applies).
     *
     * @param classes the model's classes: the labels are read and mapped onto them by name; null
     *     reads the samples unlabelled (all labels 0)
     * @throws dev.graft.GraftInputException naming the file or key, or if the format has no such form
     */
    Examples readForPrediction(Input in, List<String> classes);

    /**
     * Whether a file to predict holds labels, when this format can tell from the file alone (a
     * text CSV's header, a JSON line's fields); empty when the caller decides.
     *
     * @throws dev.graft.GraftInputException naming the file if it cannot be read
     */
    default java.util.Optional<Boolean> labelled(Input in) {
        return java.util.Optional.empty();
    }
}
