package dev.graft.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * The rows of a JSON-lines file: one JSON object per line, the text a string field, the label
 * (and group) a string or whole-number field. Blank lines are skipped; a line longer than
 * {@code max_line_chars} is refused before it is held. Fields other than those asked for are
 * ignored. Not thread-safe.
 */
final class TextJsonlRows implements TextRows {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final Reader in;
    private final BoundedLines lines;
    private final TextReader.Fields fields;

    /** @param fields the fields rows are read from (null to read none, only {@link #firstHas}) */
    TextJsonlRows(Path file, TextReader.Fields fields, DataLimits limits) throws IOException {
        this.file = file;
        this.fields = fields;
        this.in = Utf8Text.open(file);
        this.lines = new BoundedLines(in, file, limits.maxLineChars());
    }

    @Override
    public Row next() throws IOException {
        JsonNode o = object();
        if (o == null) {
            return null;
        }
        int n = lines.number();
        JsonNode text = o.get(fields.text());
        if (text == null || text.isNull()) {
            throw new DataException(file + ": line " + n + ": no '" + fields.text() + "' field (the text)");
        }
        if (!text.isTextual()) {
            throw new DataException(file + ": line " + n + ": '" + fields.text() + "' is not a string");
        }
        return new Row(text.textValue(), tag(o, fields.label(), "label", n), tag(o, fields.group(), "group", n), n);
    }

    /** Whether the first object has the field {@code name} (not null); false for a file without objects. */
    boolean firstHas(String name) throws IOException {
        JsonNode o = object();
        return o != null && o.hasNonNull(name);
    }

    /** The next line's object, or null at the end; blank lines are skipped. */
    private JsonNode object() throws IOException {
        String line;
        do {
            line = lines.next();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        int n = lines.number();
        if (n == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1); // a byte-order mark
        }
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DataException(file + ": line " + n + ": not JSON (" + firstLine(e.getOriginalMessage()) + ")");
        }
        if (!o.isObject()) {
            throw new DataException(file + ": line " + n + ": not a JSON object (one object per line is needed)");
        }
        return o;
    }

    /** A label or group: a string or a whole number, trimmed, not empty. */
    private String tag(JsonNode o, String field, String what, int n) {
        if (field == null) {
            return null;
        }
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new DataException(file + ": line " + n + ": no '" + field + "' field (the " + what + ")");
        }
        if (!v.isTextual() && !v.isIntegralNumber()) {
            throw new DataException(file + ": line " + n + ": '" + field + "' is " + v.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT) + ", not a string or a whole number");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw new DataException(file + ": line " + n + ": the " + what + " '" + field + "' is empty");
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
