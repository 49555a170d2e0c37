package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a CSV of numeric feature columns and one label column. Labels that are all integers are
 * class numbers; otherwise each distinct label becomes a class, in sorted order. A file read
 * against a class list fixed elsewhere (the training file's) maps its labels onto that list by
 * name instead. Handles quoted fields without embedded line breaks. Every row must have as many
 * fields as the header (or, without one, as the first row), and every feature must be a finite
 * number. Lines and fields are bounded by {@link DataLimits} while the file streams in, so a
 * hostile file fails before it fills the heap. Stateless and thread-safe.
 */
public final class CsvReader {
    private CsvReader() {}

    /**
     * The parsed data and the class names in class order.
     *
     * @param numbered whether the labels were class numbers (names "0", "1", ...) rather than names
     * @param columns the header's column names (trimmed), or null for a file without a header
     * @param groups each row's value in the group column (trimmed), or null when none was asked for
     */
    public record Result(Examples examples, List<String> classNames, boolean numbered, List<String> columns,
            List<String> groups) {}

    /**
     * Reads a file with its own classes and the default limits.
     *
     * @param label the label column's header name, or its 0-based index; null means the last column
     * @param header whether the first line names the columns
     * @throws DataException if the file is missing, too large, or a row is malformed (the message
     *     names the line and column)
     */
    public static Result read(Path file, String label, boolean header) {
        return read(file, label, header, null, DataLimits.DEFAULT);
    }

    /**
     * Reads a file, mapping its labels onto {@code classes} by name when given.
     *
     * @param classes the class list fixed by training; each label must be one of them (a label of
     *     digits also matches its number without leading zeros); null derives the list from this file
     * @throws DataException if the file is missing or too large, a row has more or fewer fields than
     *     the header, a feature is not a finite number, or a label is not one of {@code classes}
     */
    public static Result read(Path file, String label, boolean header, List<String> classes, DataLimits limits) {
        return read(file, label, null, header, classes, limits);
    }

    /**
     * As {@link #read(Path, String, boolean, List, DataLimits)}, with a group column whose values
     * are returned as written ({@link Result#groups()}) and which is not a feature.
     *
     * @param group the group column's header name or 0-based index, or null for none
     * @throws DataException as the other read, or if the group column is missing, is the label
     *     column, or a row's group is empty
     */
    public static Result read(Path file, String label, String group, boolean header, List<String> classes,
            DataLimits limits) {
        Rows rows = parse(file, label, group, header, limits);
        int n = rows.labels.size();
        ClassLabels.Mapped m = ClassLabels.map(rows.labels, rows.lines, file, classes);
        float[] f = Arrays.copyOf(rows.features, n * rows.featureCount);
        return new Result(new Examples(new Dims(rows.featureCount), f, m.classes(), Math.max(m.names().size(), 1)),
                m.names(), m.numbered(), rows.columns, rows.groups);
    }

    /**
     * Reads a regression file: the label column holds real values, one target per row (every
     * sample labelled 0 of a single class, the targets raw, not yet standardized).
     *
     * @param label the target column's header name or 0-based index; null means the last column
     * @throws DataException as {@link #read(Path, String, boolean, List, DataLimits)}, or if a target
     *     is not a finite number (naming the line and column)
     */
    public static Result readValues(Path file, String label, boolean header, DataLimits limits,
            dev.graft.metrics.RegressionLoss loss) {
        Rows rows = parse(file, label, null, header, limits);
        int n = rows.labels.size();
        int column = rows.labelColumn;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = number(rows.labels.get(i), file, rows.lines[i], column);
        }
        float[] f = Arrays.copyOf(rows.features, n * rows.featureCount);
        Examples e = new Examples(new Dims(rows.featureCount), f, new int[n], 1, null,
                RegressionTargets.raw(y, loss));
        return new Result(e, List.of(), false, rows.columns, null);
    }

    /**
     * The first label of {@code labels} that is a number but not a whole one ({@code 3.25}, {@code 1e-3}),
     * when every label is a finite number: a column of measurements, which read as class names would
     * become one class per distinct value. Empty when any label is not a number, or all are whole.
     */
    public static java.util.Optional<String> realValued(List<String> labels) {
        String real = null;
        for (String l : labels) {
            double v;
            try {
                v = Double.parseDouble(l);
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
            if (!Double.isFinite(v)) {
                return java.util.Optional.empty();
            }
            if (real == null && !l.matches("[+-]?\\d+")) {
                real = l;
            }
        }
        return java.util.Optional.ofNullable(real);
    }

    /**
     * Reads a file of features only (no label column), for prediction: every column is a feature.
     *
     * @return the samples, all labelled 0, and the columns' names (empty without a header)
     * @throws DataException as {@link #read(Path, String, boolean, List, DataLimits)} does
     */
    public static Result readFeatures(Path file, boolean header, DataLimits limits) {
        return readFeatures(file, null, header, limits);
    }

    /**
     * As {@link #readFeatures(Path, boolean, DataLimits)}, leaving out a group column (not a feature).
     *
     * @param group the group column's header name or 0-based index, or null for none
     */
    public static Result readFeatures(Path file, String group, boolean header, DataLimits limits) {
        Rows rows = parse(file, NO_LABEL, group, header, limits);
        int n = rows.labels.size();
        float[] f = Arrays.copyOf(rows.features, n * rows.featureCount);
        return new Result(new Examples(new Dims(rows.featureCount), f, new int[n], 1), List.of(), false,
                rows.columns == null ? List.of() : rows.columns, rows.groups);
    }

    /**
     * The fields of the file's first non-blank line (its header, when it has one), split as rows
     * are, quotes included.
     *
     * @throws DataException if the file is missing or unreadable, or the line is too long
     */
    public static List<String> firstLine(Path file, DataLimits limits) {
        try (Reader in = Utf8Text.open(file)) {
            BoundedLines lines = new BoundedLines(in, file, limits.maxLineChars());
            String line;
            while ((line = lines.next()) != null) {
                if (!line.isBlank()) {
                    return Arrays.stream(split(line, file, lines.number(), limits.maxFields())).map(String::trim).toList();
                }
            }
            return List.of();
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    /** Rows as they stream in: features packed, labels as written, and each row's line number. */
    private static final class Rows {
        float[] features = new float[1024];
        int used;
        int featureCount;
        final List<String> labels = new ArrayList<>();
        int[] lines = new int[256];
        List<String> columns;
        List<String> groups;
        int labelColumn = -1;

        void add(float v, Path file, DataLimits limits, int lineNo) {
            if (used == features.length) {
                // refused only when the values themselves pass the limit, not the doubled buffer
                limits.checkValues(file, "more than " + used + " values by line " + lineNo, used + 1L);
                long grown = Math.min((long) features.length * 2, limits.maxValues());
                features = Arrays.copyOf(features, (int) grown);
            }
            features[used++] = v;
        }

        void endRow(String label, int lineNo) {
            if (labels.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[labels.size()] = lineNo;
            labels.add(label);
        }
    }

    /** Stands for "no label column" in {@link #parse}: a name no header can hold. */
    private static final String NO_LABEL = "\u0000no label";

    private static Rows parse(Path file, String label, String group, boolean header, DataLimits limits) {
        Rows rows = new Rows();
        int width = -1;
        int widthLine = 0;
        int labelCol = -1;
        int groupCol = -1;
        try (Reader in = Utf8Text.open(file)) {
            BoundedLines lines = new BoundedLines(in, file, limits.maxLineChars());
            String line;
            while ((line = lines.next()) != null) {
                int lineNo = lines.number();
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line, file, lineNo, limits.maxFields());
                if (width < 0) {
                    width = cells.length;
                    widthLine = lineNo;
                    labelCol = label == NO_LABEL ? -1 : labelColumn(file, label, header ? cells : null, width);
                    rows.labelColumn = labelCol;
                    rows.featureCount = labelCol < 0 ? width : width - 1;
                    if (group != null) {
                        groupCol = column(file, group, header ? cells : null, width, "group");
                        if (groupCol == labelCol) {
                            throw new DataException(file + ": the group column '" + group + "' is the label column");
                        }
                        rows.featureCount--;
                        rows.groups = new ArrayList<>();
                    }
                    if (header) {
                        rows.columns = Arrays.stream(cells).map(String::trim).toList();
                        continue;
                    }
                }
                if (cells.length != width) {
                    throw new DataException(file + ": line " + lineNo + " has " + cells.length + " fields, "
                            + (header ? "the header names " + width : "line " + widthLine + " has " + width));
                }
                for (int c = 0; c < width; c++) {
                    if (c != labelCol && c != groupCol) {
                        rows.add(number(cells[c], file, lineNo, c), file, limits, lineNo);
                    }
                }
                String rowLabel = labelCol < 0 ? "" : cells[labelCol].trim();
                if (labelCol >= 0 && rowLabel.isEmpty()) {
                    throw new DataException(file + ": line " + lineNo + ", column " + (labelCol + 1)
                            + ": the label is empty");
                }
                if (groupCol >= 0) {
                    String g = cells[groupCol].trim();
                    if (g.isEmpty()) {
                        throw new DataException(file + ": line " + lineNo + ", column " + (groupCol + 1)
                                + ": the group is empty");
                    }
                    rows.groups.add(g);
                }
                rows.endRow(rowLabel, lineNo);
            }
        } catch (IOException e) {
            throw readError(file, e);
        }
        if (rows.labels.isEmpty()) {
            throw new DataException(file + ": no data rows");
        }
        return rows;
    }

    private static float number(String cell, Path file, int lineNo, int column) {
        float v;
        try {
            v = Float.parseFloat(cell.trim());
        } catch (NumberFormatException e) {
            throw new DataException(file + ": line " + lineNo + ", column " + (column + 1) + ": '" + cell
                    + "' is not a number");
        }
        // NaN, Infinity and values beyond the float range (1e39) would reach training as NaN losses
        if (!Float.isFinite(v)) {
            throw new DataException(file + ": line " + lineNo + ", column " + (column + 1) + ": '" + cell.trim()
                    + "' is not a finite number");
        }
        return v;
    }

    private static int labelColumn(Path file, String label, String[] names, int width) {
        if (width < 2) {
            throw new DataException(file + ": line 1 has " + width + " field; a feature and a label are needed");
        }
        if (label == null) {
            return width - 1;
        }
        return column(file, label, names, width, "label");
    }

    /** A column by header name, or by 0-based index. */
    private static int column(Path file, String label, String[] names, int width, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].trim().equals(label)) {
                    return i;
                }
            }
        }
        if (label.matches("\\d{1,9}") && Integer.parseInt(label) < width) {
            return Integer.parseInt(label);
        }
        throw new DataException(file + ": no " + what + " column '" + label + "'");
    }

    private static String[] split(String line, Path file, int lineNo, int maxFields) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                if (out.size() >= maxFields) {
                    throw new DataException(file + ": too large (line " + lineNo + " has more than " + maxFields
                            + " fields, data.limits.max_fields)");
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new DataException(file + ": line " + lineNo + " has an unclosed quote");
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    /** What went wrong reading {@code file}, in a user's words. */
    private static DataException readError(Path file, IOException e) {
        return BoundedLines.readError(file, e, "a CSV file");
    }
}
