package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a text task's file: one text and one label per row, each text turned into a sample of
 * token ids {@code [maxLength]} by a {@link TextTokenizer} as it streams in. Labels map to
 * classes as every reader of named labels does (see {@link CsvReader}): whole numbers are class
 * numbers, other labels are classes in sorted order, and a file read against a class list fixed
 * by training maps its labels onto it by name. An empty text is kept: it becomes the special
 * tokens alone. Memory is bounded by {@link DataLimits}. Stateless and thread-safe (the
 * tokenizer handed in is not).
 */
public final class TextReader {
    private TextReader() {}

    /** The file formats of text tasks, each with the rows it streams. */
    public enum Format {
        /** CSV with a header line; quoted fields may hold commas and line breaks. */
        CSV("a CSV file") {
            @Override
            TextRows open(Path file, Fields fields, DataLimits limits) throws IOException {
                TextCsvRows rows = new TextCsvRows(file, limits);
                try {
                    return rows.select(fields);
                } catch (RuntimeException e) {
                    rows.close();
                    throw e;
                }
            }

            @Override
            boolean has(Path file, String name, DataLimits limits) throws IOException {
                try (TextCsvRows rows = new TextCsvRows(file, limits)) {
                    return rows.has(name);
                }
            }
        },
        /** One JSON object per line. */
        JSONL("a JSON-lines file") {
            @Override
            TextRows open(Path file, Fields fields, DataLimits limits) throws IOException {
                return new TextJsonlRows(file, fields, limits);
            }

            @Override
            boolean has(Path file, String name, DataLimits limits) throws IOException {
                try (TextJsonlRows rows = new TextJsonlRows(file, null, limits)) {
                    return rows.firstHas(name);
                }
            }
        };

        private final String kind;

        Format(String kind) {
            this.kind = kind;
        }

        abstract TextRows open(Path file, Fields fields, DataLimits limits) throws IOException;

        /** Whether the file has the column (header) or field (first line) {@code name}. */
        abstract boolean has(Path file, String name, DataLimits limits) throws IOException;
    }

    /**
     * The fields taken from each row: each a CSV column (header name or 0-based index) or a JSON
     * field name.
     *
     * @param text the text's column or field
     * @param label the label's, or null to read no label (prediction)
     * @param group the group's, or null for none
     */
    public record Fields(String text, String label, String group) {
        /** @throws IllegalArgumentException if the text field is null or two of them are the same */
        public Fields {
            if (text == null) {
                throw new IllegalArgumentException("no text field");
            }
            if (text.equals(label) || text.equals(group) || (label != null && label.equals(group))) {
                throw new IllegalArgumentException("the text, label and group fields must differ");
            }
        }
    }

    /**
     * The samples read.
     *
     * @param examples the token ids, {@code [maxLength]} per sample, with class indices (all 0 and
     *     one class when no label was read)
     * @param classNames the class names in class order ("0", "1", ... for numbered labels); empty
     *     when no label was read
     * @param numbered whether the labels were class numbers
     * @param groups each row's group as written, or null when none was asked for
     * @param truncated how many texts had more tokens than {@code maxLength}
     * @param empty how many texts were empty or blank
     */
    public record Result(Examples examples, List<String> classNames, boolean numbered, List<String> groups,
            int truncated, int empty) {}

    /**
     * Reads and tokenizes a file.
     *
     * @param classes the class list fixed by training, or null to derive it from this file;
     *     ignored when {@code fields} reads no label
     * @throws DataException naming the file (and line) if it is missing, not UTF-8, malformed, has
     *     no rows, lacks a field, has an empty label, a label not in {@code classes}, or is
     *     beyond {@code limits}
     */
    public static Result read(Path file, Format format, Fields fields, TextTokenizer tokenizer, List<String> classes,
            DataLimits limits) {
        int length = tokenizer.maxLength();
        float[] ids = new float[length * 64];
        List<String> labels = new ArrayList<>();
        int[] lines = new int[64];
        List<String> groups = fields.group() == null ? null : new ArrayList<>();
        int n = 0;
        int truncated = 0;
        int empty = 0;
        try (TextRows rows = format.open(file, fields, limits)) {
            TextRows.Row r;
            while ((r = rows.next()) != null) {
                long need = (long) (n + 1) * length;
                if (need > ids.length) {
                    // refused only when the samples themselves pass the limit, not the doubled buffer
                    limits.checkValues(file, "more than " + n + " texts of " + length + " token ids by line "
                            + r.line(), need);
                    ids = Arrays.copyOf(ids, (int) Math.min(Math.max((long) ids.length * 2, need), limits.maxValues()));
                }
                TextTokenizer.Encoded e = tokenizer.encode(r.text());
                System.arraycopy(e.ids(), 0, ids, n * length, length);
                truncated += e.truncated() ? 1 : 0;
                empty += r.text().isBlank() ? 1 : 0;
                if (n == lines.length) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                lines[n] = r.line();
                labels.add(r.label());
                if (groups != null) {
                    groups.add(r.group());
                }
                n++;
            }
        } catch (IOException e) {
            throw BoundedLines.readError(file, e, format.kind);
        }
        if (n == 0) {
            throw new DataException(file + ": no texts");
        }
        float[] f = Arrays.copyOf(ids, n * length);
        Dims shape = new Dims(length);
        if (fields.label() == null) {
            return new Result(new Examples(shape, f, new int[n], 1), List.of(), false, groups, truncated, empty);
        }
        ClassLabels.Mapped m = ClassLabels.map(labels, lines, file, classes);
        return new Result(new Examples(shape, f, m.classes(), Math.max(m.names().size(), 1)), m.names(), m.numbered(),
                groups, truncated, empty);
    }

    /**
     * Whether a file has the column or field {@code name}: a text CSV's header names it (or it is
     * an index within the header), or the first JSON line has it. For prediction: a file of texts
     * with their labels is scored, one without is only predicted.
     *
     * @throws DataException naming the file if it is missing, unreadable or malformed
     */
    public static boolean hasField(Path file, Format format, String name, DataLimits limits) {
        try {
            return format.has(file, name, limits);
        } catch (IOException e) {
            throw BoundedLines.readError(file, e, format.kind);
        }
    }
}
