package dev.graft;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading the YAML (or JSON) files Graft takes, specs, plans and experiments, with one-line errors
 * that name the file and, for a syntax error, its line and column.
 */
public final class YamlText {
    /** Larger than any spec, plan or experiment: a bigger file is not one. */
    private static final long MAX_BYTES = 16L << 20;

    private YamlText() {}

    /**
     * The YAML parser every Graft file goes through: a key given twice in one mapping is a syntax
     * error (line and column), where YAML libraries keep the last one silently.
     */
    public static com.fasterxml.jackson.dataformat.yaml.YAMLFactory factory() {
        com.fasterxml.jackson.dataformat.yaml.YAMLFactory f = new com.fasterxml.jackson.dataformat.yaml.YAMLFactory();
        f.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    /**
     * The file's text.
     *
     * @param what what the file should be, for the error (e.g. "a model spec")
     * @throws GraftInputException if the file is missing, a folder, empty, too large or not UTF-8 text
     */
    public static String read(Path path, String what) {
        return read(path, what, GraftInputException::new);
    }

    /**
     * The file's text; errors are made by {@code error} from their one-line message, so that each
     * reader throws its own exception type.
     */
    public static String read(Path path, String what,
            java.util.function.Function<String, ? extends GraftInputException> error) {
        if (Files.isDirectory(path)) {
            throw error.apply(path + ": is a folder, not " + what);
        }
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw error.apply(path + ": too large (" + Files.size(path) + " bytes) for " + what);
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw error.apply(path + ": no such file");
        } catch (IOException e) {
            throw error.apply(path + ": cannot read: " + e.getMessage());
        }
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw error.apply(path + ": the file is empty; expected " + what + " (YAML)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error.apply(path + ": not a text file (binary data where " + what
                    + " in YAML was expected)");
        }
    }

    /** "LABEL: line L, column C: not valid YAML: PROBLEM" for a parser's exception. */
    public static String syntaxError(String label, IOException e, String expected) {
        String problem = e instanceof JsonProcessingException j && j.getOriginalMessage() != null
                ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        int nl = problem.indexOf('\n');
        problem = nl < 0 ? problem : problem.substring(0, nl);
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr()
                + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "") + ": ";
        return label + ": " + where + "not valid " + expected + ": " + problem;
    }

    /**
     * The path ({@code strategies[1].head}) of the first key or list item written without a value
     * (YAML null: {@code head:} or {@code ~}), or null if there is none. An absent key takes its
     * default; a key written without a value is most likely a section whose keys were lost, so
     * Graft's readers refuse it rather than read it as absent without a word.
     */
    public static String firstEmptyKey(JsonNode root) {
        return root == null ? null : firstPath(root, "", JsonNode::isNull, java.util.Set.of());
    }

    /**
     * The path of the first empty list ({@code shots: []}) outside {@code skip}'s top-level keys, or
     * null. In an experiment every list is a choice of values (shots, seeds, strategies, a head's
     * C, k, trees); an empty one chose nothing: before, {@code shots: []} ran nothing and exited 0,
     * {@code strategies: []} ran the six built-ins, {@code c: []} crashed in the fitting library.
     */
    public static String firstEmptyList(JsonNode root, java.util.Set<String> skip) {
        return root == null ? null : firstPath(root, "", n -> n.isArray() && n.isEmpty(), skip);
    }

    /** "LABEL: 'KEY' has no value; ..." for {@link #firstEmptyKey}'s path. */
    public static String emptyKeyError(String label, String key) {
        return label + ": '" + key + "' has no value; give it one, or remove the key to take its default";
    }

    /** The path of the first value under {@code node} (not itself) that {@code found} accepts, depth first. */
    private static String firstPath(JsonNode node, String at, java.util.function.Predicate<JsonNode> found,
            java.util.Set<String> skipTop) {
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (at.isEmpty() && skipTop.contains(e.getKey())) {
                    continue;
                }
                String p = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                String hit = found.test(e.getValue()) ? p : firstPath(e.getValue(), p, found, skipTop);
                if (hit != null) {
                    return hit;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = at + "[" + i + "]";
                String hit = found.test(node.get(i)) ? p : firstPath(node.get(i), p, found, skipTop);
                if (hit != null) {
                    return hit;
                }
            }
        }
        return null;
    }
}
