package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a CSV of numeric feature columns and one label column. Labels that are all integers are
 * class numbers; otherwise each distinct label becomes a class, in sorted order. Handles quoted
 * fields without embedded line breaks.
 */
public final class CsvReader {
    private CsvReader() {}

    /** The parsed data and the class names in class order. */
    public record Result(Examples examples, List<String> classNames) {}

    /**
     * @param label the label column's header name, or its 0-based index; null means the last column
     * @param header whether the first line names the columns
     * @throws DataException if the file is missing or a row is malformed (the message names the line)
     */
    public static Result read(Path file, String label, boolean header) {
        List<String[]> rows = new ArrayList<>();
        String[] names = null;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line, file, lineNo);
                if (header && names == null) {
                    names = cells;
                    continue;
                }
                rows.add(cells);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new DataException(file + ": no data rows");
        }
        int width = rows.get(0).length;
        int labelCol = labelColumn(file, label, names, width);
        String[] labels = new String[rows.size()];
        float[] f = new float[rows.size() * (width - 1)];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            int lineNo = r + (header ? 2 : 1);
            if (cells.length != width) {
                throw new DataException(file + ": line " + lineNo + " has " + cells.length + " fields, expected " + width);
            }
            int k = 0;
            for (int c = 0; c < width; c++) {
                if (c == labelCol) {
                    labels[r] = cells[c].trim();
                    continue;
                }
                try {
                    f[r * (width - 1) + k++] = Float.parseFloat(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new DataException(file + ": line " + lineNo + ", column " + (c + 1) + ": '" + cells[c]
                            + "' is not a number");
                }
            }
        }
        boolean numeric = true;
        for (String l : labels) {
            numeric &= l.matches("\\d+");
        }
        int[] y = new int[labels.length];
        List<String> classNames = new ArrayList<>();
        if (numeric) {
            int max = 0;
            for (int i = 0; i < labels.length; i++) {
                y[i] = Integer.parseInt(labels[i]);
                max = Math.max(max, y[i]);
            }
            for (int c = 0; c <= max; c++) {
                classNames.add(String.valueOf(c));
            }
        } else {
            TreeMap<String, Integer> ids = new TreeMap<>();
            for (String l : labels) {
                ids.put(l, 0);
            }
            int n = 0;
            for (String k : ids.keySet()) {
                ids.put(k, n++);
                classNames.add(k);
            }
            for (int i = 0; i < labels.length; i++) {
                y[i] = ids.get(labels[i]);
            }
        }
        return new Result(new Examples(new Dims(width - 1), f, y, classNames.size()), classNames);
    }

    private static int labelColumn(Path file, String label, String[] names, int width) {
        if (label == null) {
            return width - 1;
        }
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].trim().equals(label)) {
                    return i;
                }
            }
        }
        try {
            int i = Integer.parseInt(label);
            if (i >= 0 && i < width) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // not an index: reported below
        }
        throw new DataException(file + ": no label column '" + label + "'");
    }

    private static String[] split(String line, Path file, int lineNo) {
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
}
