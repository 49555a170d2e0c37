package dev.graft.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a text CSV (RFC 4180, read by Jackson's CSV module): a header line naming the
 * columns, then one text per row. Quoted fields may hold commas, quotes ({@code ""}) and line
 * breaks, so a row may span lines; it is named by the line it starts on. Blank lines are
 * skipped. Every row must have as many fields as the header. A field longer than
 * {@code max_line_chars}, or a row of more than {@code max_fields} fields, is refused before it
 * is held. Not thread-safe.
 */
final class TextCsvRows implements TextRows {
    private final Path file;
    private final Reader in;
    private final CsvParser parser;
    private final DataLimits limits;
    private final List<String> header;
    private int textCol;
    private int labelCol = -1;
    private int groupCol = -1;
    /** The line the last row read starts on. */
    private int rowLine;

    /** Opens the file and reads its header; {@link #select} then names the columns rows are read from. */
    TextCsvRows(Path file, DataLimits limits) throws IOException {
        this.file = file;
        this.limits = limits;
        this.in = Utf8Text.open(file);
        CsvFactory factory = CsvFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limits.maxLineChars()).build())
                .build();
        try {
            this.parser = factory.createParser(in);
            parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            parser.nextToken(); // the array around all rows
            List<String> first = row();
            if (first == null) {
                throw new DataException(file + ": the file is empty (a header line naming the columns is needed)");
            }
            if (!first.isEmpty() && first.get(0).startsWith("\uFEFF")) {
                first.set(0, first.get(0).substring(1)); // a byte-order mark, as spreadsheet programs write
            }
            header = first.stream().map(String::trim).toList();
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Names the columns rows are read from.
     *
     * @throws DataException if a column is missing, or two fields name the same column
     */
    TextCsvRows select(TextReader.Fields fields) {
        textCol = column(fields.text(), "text");
        labelCol = fields.label() == null ? -1 : column(fields.label(), "label");
        groupCol = fields.group() == null ? -1 : column(fields.group(), "group");
        if (textCol == labelCol || textCol == groupCol || (labelCol >= 0 && labelCol == groupCol)) {
            throw new DataException(file + ": the text, label and group columns must differ (columns "
                    + String.join(", ", header) + ")");
        }
        return this;
    }

    /** Whether the header names {@code name}, or it is an index within the header. */
    boolean has(String name) {
        return header.contains(name.trim()) || (name.matches("\\d{1,9}") && Integer.parseInt(name) < header.size());
    }

    @Override
    public Row next() throws IOException {
        List<String> cells = row();
        if (cells == null) {
            return null;
        }
        int line = rowLine;
        if (cells.size() != header.size()) {
            throw new DataException(file + ": line " + line + " has " + cells.size() + " fields, the header names "
                    + header.size());
        }
        return new Row(cells.get(textCol), required(cells, labelCol, "label", line),
                required(cells, groupCol, "group", line), line);
    }

    /** The next row's fields, or null at the end; blank lines are skipped. */
    private List<String> row() throws IOException {
        try {
            while (true) {
                JsonToken t = parser.nextToken();
                if (t == null || t == JsonToken.END_ARRAY) {
                    return null;
                }
                List<String> cells = new ArrayList<>();
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    if (cells.isEmpty()) {
                        // the row's own start token is placed at the end of the row before
                        rowLine = parser.currentTokenLocation().getLineNr();
                    }
                    if (cells.size() >= limits.maxFields()) {
                        throw new DataException(file + ": too large (line " + rowLine + " has more than "
                                + limits.maxFields() + " fields, data.limits.max_fields)");
                    }
                    cells.add(parser.getText());
                }
                // a blank line is one empty field to the parser
                if (!(cells.size() == 1 && cells.get(0).isBlank())) {
                    return cells;
                }
            }
        } catch (StreamConstraintsException e) {
            throw new DataException(file + ": too large (line " + line(parser.currentLocation()) + ": a field is "
                    + "longer than " + limits.maxLineChars() + " characters, data.limits.max_line_chars)");
        } catch (JsonProcessingException e) {
            throw new DataException(file + ": line " + line(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private int line(JsonLocation at) {
        return at == null ? rowLine : at.getLineNr();
    }

    private String required(List<String> cells, int col, String what, int line) {
        if (col < 0) {
            return null;
        }
        String v = cells.get(col).trim();
        if (v.isEmpty()) {
            throw new DataException(file + ": line " + line + ", column " + (col + 1) + ": the " + what + " is empty");
        }
        return v;
    }

    /** A column by header name, or by 0-based index. */
    private int column(String name, String what) {
        int at = header.indexOf(name.trim());
        if (at >= 0) {
            return at;
        }
        if (name.matches("\\d{1,9}") && Integer.parseInt(name) < header.size()) {
            return Integer.parseInt(name);
        }
        throw new DataException(file + ": no " + what + " column '" + name + "' (the header names "
                + String.join(", ", header) + ")");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed CSV";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        try {
            parser.close();
        } finally {
            in.close();
        }
    }
}
