package dev.graft.cli;

import dev.graft.data.Examples;
import dev.graft.experiment.Preprocessing;
import dev.graft.experiment.TaskData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The samples {@code graft predict} reads, prepared as the model's training data was, with labels
 * when the data has them: a CSV with its label column, an image folder of class folders, IDX
 * images with their labels. A CSV without the label column and a folder of loose images are read
 * unlabelled.
 *
 * @param examples the prepared samples (labels mapped onto the model's classes, or all 0)
 * @param labelled whether {@code examples}' labels are real
 */
record PredictionData(Examples examples, boolean labelled) {

    static PredictionData load(Preprocessing pre, Path data, Path labels) throws IOException {
        String format = pre.data().format() == null ? "idx" : pre.data().format();
        var section = pre.sectionFor(data.toAbsolutePath().toString(),
                labels == null ? null : labels.toAbsolutePath().toString());
        Path here = Path.of("").toAbsolutePath();
        boolean unlabelled = switch (format) {
            case "csv" -> !hasLabelColumn(pre, data);
            case "folder" -> !hasSubfolders(data);
            default -> false;
        };
        if (unlabelled) {
            return new PredictionData(TaskData.loadUnlabelled(section, here, data.toString()), false);
        }
        return new PredictionData(TaskData.load(section, here, data.toString()).pool(), true);
    }

    /** Whether the CSV's header names the training label column (a headerless CSV is read as labelled). */
    private static boolean hasLabelColumn(Preprocessing pre, Path csv) {
        var c = pre.data().csv();
        String label = c == null ? null : c.label();
        boolean header = c == null || c.header() == null || c.header();
        if (!header || label == null || label.matches("\\d+") || !Files.isRegularFile(csv)) {
            return true; // by position, or missing: the reader says what is wrong
        }
        return dev.graft.data.CsvReader.firstLine(csv, dev.graft.data.DataLimits.DEFAULT).contains(label);
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
