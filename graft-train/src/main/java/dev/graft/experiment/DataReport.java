package dev.graft.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What loading a task's data found and did, for the run's output: the files read, the classes
 * found, the hidden entries skipped, the classes the test set lacks, the normalization used, and for
 * a text task how texts became token ids.
 * A newcomer reads here whether Graft saw the data as they meant it (a hidden folder taken for a
 * class, one statistic over columns of very different scales) before the accuracy says so.
 * Immutable.
 *
 * @param train the training file or folder
 * @param test the test file or folder, or null (none, or split off the training data)
 * @param format the {@code data.format}: {@code idx}, {@code csv}, {@code folder}, {@code text_csv} or {@code text_jsonl}
 * @param poolSize samples in the training pool
 * @param testSize samples in the test set (0 for none)
 * @param classes the class names, in class order
 * @param hidden hidden entries skipped, each with its folder ({@code train/.ipynb_checkpoints})
 * @param missingInTest classes the test set holds no sample of, as {@code 'name' (class k)}
 * @param normalization how the samples were normalized, in words with the constants
 * @param text how texts became token ids (a text task), or null
 * @param target a regression's target column and standardization, in words, or null for a classification
 */
public record DataReport(Path train, Path test, String format, int poolSize, int testSize, List<String> classes,
        List<String> hidden, List<String> missingInTest, String normalization, TextSummary text, String target) {

    /** A classification's report. */
    public DataReport(Path train, Path test, String format, int poolSize, int testSize, List<String> classes,
            List<String> hidden, List<String> missingInTest, String normalization, TextSummary text) {
        this(train, test, format, poolSize, testSize, classes, hidden, missingInTest, normalization, text, null);
    }

    public DataReport {
        classes = List.copyOf(classes);
        hidden = List.copyOf(hidden);
        missingInTest = List.copyOf(missingInTest);
    }

    /** The report as console lines: data, classes, hidden entries, test gaps, normalization. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("data: " + poolSize + " training samples from " + train
                + (test != null ? "; " + testSize + " test samples from " + test
                : testSize > 0 ? "; " + testSize + " of them held out as the test set (test_fraction)" : ""));
        if (target != null) {
            out.add("target: " + target);
        } else {
            out.add("classes: " + classes.size() + " found" + (format.equals("folder") ? " (one per subfolder)" : "")
                    + ": " + preview(classes));
        }
        if (text != null) {
            out.add(text.line());
        }
        if (!hidden.isEmpty()) {
            out.add("skipped " + hidden.size() + " hidden " + (hidden.size() == 1 ? "entry" : "entries") + ": "
                    + preview(hidden));
        }
        if (!missingInTest.isEmpty()) {
            out.add("note: the test set has no samples of " + preview(missingInTest)
                    + (format.equals("folder") ? " (no such subfolder, or no images in it)" : ""));
        }
        out.add("normalization: " + normalization);
        return out;
    }

    /** Up to 20 items, then how many in all. */
    static String preview(List<String> items) {
        return items.size() <= 20 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 20)) + ", … (" + items.size() + " in all)";
    }

    /** Values for a message: all of them up to 16, then the first 8 and the count. */
    static String values(float[] v) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < v.length && (v.length <= 16 || i < 8); i++) {
            s.add(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return "[" + String.join(", ", s) + (v.length > 16 ? ", … " + v.length + " in all" : "") + "]";
    }
}
