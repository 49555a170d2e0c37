package dev.graft.cli;

import dev.graft.data.Examples;
import dev.graft.experiment.Preprocessing;
import dev.graft.experiment.TaskData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The samples {@code graft predict} reads, prepared as the model's training data was, with labels
 * when the data has them: a CSV with its label column, an image folder of class folders, IDX
 * images with their labels, texts with their label column or field. A CSV without the label
 * column, a folder of loose images and texts alone are read unlabelled. Texts are tokenized by
 * the tokenizer.json training used, checked by its SHA-256.
 *
 * @param examples the prepared samples (labels mapped onto the model's classes, or all 0; a
 *     regression's with their targets when labelled)
 * @param labelled whether {@code examples}' labels are real
 */
record PredictionData(Examples examples, boolean labelled) {

    static PredictionData load(Preprocessing trained, Path data, Path labels, long inputFeatures) throws IOException {
        String format = trained.data().format() == null ? "idx" : trained.data().format();
        Preprocessing pre = format.equals("csv") && !hasGroupColumn(trained, data) ? trained.withoutGroupColumn()
                : trained;
        var section = pre.sectionFor(data.toAbsolutePath().toString(),
                labels == null ? null : labels.toAbsolutePath().toString());
        Path here = Path.of("").toAbsolutePath();
        if (format.equals("idx")) {
            return new PredictionData(TaskData.load(section, here, data.toString()).pool(), true);
        }
        // a text file says itself whether it holds labels (its header, its first line)
        java.util.Optional<Boolean> known = TaskData.labelled(section, here, data.toString());
        boolean labelled = known.isPresent() ? known.get()
                : format.equals("csv") ? hasLabelColumn(pre, data, inputFeatures) : hasSubfolders(data);
        if (format.equals("csv")) {
            requireTrainingColumns(pre, data, labelled);
        }
        if (pre.target() != null) {
            // a regression's label column holds values, read under the model's standardization
            return new PredictionData(TaskData.loadRegressionForPrediction(section, pre.target(), labelled, here,
                    data.toString()), labelled);
        }
        // labels map onto the model's classes by name: an unknown one is refused, never taken by position
        return new PredictionData(TaskData.loadForPrediction(section, here, data.toString(),
                labelled ? pre.classNames() : null), labelled);
    }

    /**
     * Whether the CSV has the training label column: by name when training named it, otherwise by
     * having one field more than the model's input.
     */
    private static boolean hasLabelColumn(Preprocessing pre, Path csv, long inputFeatures) {
        var c = pre.data().csv();
        String label = c == null ? null : c.label();
        boolean header = c == null || c.header() == null || c.header();
        if (!Files.isRegularFile(csv)) {
            return true; // the reader says what is wrong
        }
        List<String> first = dev.graft.data.CsvReader.firstLine(csv, dev.graft.data.DataLimits.DEFAULT);
        if (header && label != null && !label.matches("\\d+")) {
            return first.contains(label);
        }
        boolean group = pre.data().groups() != null && pre.data().groups().column() != null;
        return first.size() - (group ? 1 : 0) != inputFeatures;
    }

    /** Whether the CSV's header holds the group column training had (a file may leave it out). */
    private static boolean hasGroupColumn(Preprocessing pre, Path csv) {
        var g = pre.data().groups();
        var c = pre.data().csv();
        boolean header = c == null || c.header() == null || c.header();
        if (g == null || g.column() == null || !header || !Files.isRegularFile(csv)) {
            return g != null && g.column() != null;
        }
        return dev.graft.data.CsvReader.firstLine(csv, dev.graft.data.DataLimits.DEFAULT).contains(g.column());
    }

    /**
     * A CSV with a header names the training file's columns in the training file's order (less the
     * label column when it has none): features are taken by position, so a reordered, renamed or
     * missing column would predict wrong with exit 0. Checkpoints from before columns were recorded
     * are not checked.
     */
    private static void requireTrainingColumns(Preprocessing pre, Path csv, boolean labelled) {
        var c = pre.data().csv();
        boolean header = c == null || c.header() == null || c.header();
        if (!header || pre.columns() == null || !Files.isRegularFile(csv)) {
            return;
        }
        List<String> expected = new java.util.ArrayList<>(pre.columns());
        if (!labelled && !expected.isEmpty()) {
            String label = c == null ? null : c.label();
            int at = label == null ? expected.size() - 1
                    : label.matches("\\d+") ? Integer.parseInt(label) : expected.indexOf(label);
            if (at >= 0 && at < expected.size()) {
                expected.remove(at);
            }
        }
        List<String> found = dev.graft.data.CsvReader.firstLine(csv, dev.graft.data.DataLimits.DEFAULT);
        if (found.isEmpty()) {
            throw new dev.graft.GraftInputException(csv + ": the file is empty");
        }
        if (!found.equals(expected)) {
            throw new dev.graft.GraftInputException(csv + ": line 1: the columns (" + String.join(", ", found)
                    + ") are not the training file's (" + String.join(", ", expected) + ")");
        }
    }

    private static boolean hasSubfolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true; // the reader names the missing folder
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
        }
    }
}
