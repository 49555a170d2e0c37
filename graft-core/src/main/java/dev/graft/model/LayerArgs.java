package dev.graft.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer's YAML mapping as its {@link LayerKind} reads it: typed values with defaults, and
 * errors that name the file and the layer's path. Not thread-safe; lives for one parse.
 */
public final class LayerArgs {
    private final SpecParser parser;
    private final JsonNode node;
    private final String at;
    private final String name;

    LayerArgs(SpecParser parser, JsonNode node, String at, String name) {
        this.parser = parser;
        this.node = node;
        this.at = at;
        this.name = name;
    }

    /** The layer's name in its parent. */
    public String name() {
        return name;
    }

    /** Whether the mapping has {@code key}. */
    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** A required positive integer. */
    public int positive(String key) {
        return positive(key, -1);
    }

    /** A positive integer, {@code fallback} when absent ({@code -1}: required). */
    public int positive(String key, int fallback) {
        int v = integer(key, fallback);
        if (v <= 0) {
            throw error("'" + key + "' must be a positive integer");
        }
        return v;
    }

    /** A non-negative integer, {@code fallback} when absent. */
    public int nonNegative(String key, int fallback) {
        int v = integer(key, fallback);
        if (v < 0) {
            throw error("'" + key + "' must not be negative");
        }
        return v;
    }

    /**
     * One positive integer or a list of {@code n} of them ({@code kernel: 3} or {@code kernel: [1, 3]}),
     * {@code fallback} for each when absent ({@code -1}: required).
     */
    public int[] positives(String key, int n, int fallback) {
        return sizes(key, n, fallback, 1);
    }

    /** As {@link #positives} for sizes that may be zero (padding). */
    public int[] nonNegatives(String key, int n, int fallback) {
        return sizes(key, n, fallback, 0);
    }

    private int[] sizes(String key, int n, int fallback, int min) {
        JsonNode v = node.get(key);
        int[] out = new int[n];
        if (v != null && v.isArray()) {
            if (v.size() != n) {
                throw error("'" + key + "' must be one integer or a list of " + n);
            }
            for (int i = 0; i < n; i++) {
                JsonNode e = v.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < min) {
                    throw error("'" + key + "' must hold " + (min > 0 ? "positive" : "non-negative") + " integers");
                }
                out[i] = e.intValue();
            }
            return out;
        }
        java.util.Arrays.fill(out, min > 0 ? positive(key, fallback) : nonNegative(key, fallback));
        return out;
    }

    private int integer(String key, int fallback) {
        JsonNode v = node.get(key);
        if (v == null) {
            if (fallback == -1) {
                throw error("missing '" + key + "'");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error("'" + key + "' must be an integer");
        }
        return v.intValue();
    }

    /** A number, {@code fallback} when absent. */
    public double number(String key, double fallback) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error("'" + key + "' must be a number");
        }
        return v.doubleValue();
    }

    /** A boolean, {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error("'" + key + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** A required string. */
    public String text(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw error("missing '" + key + "'");
        }
        if (!v.isTextual()) {
            throw error("'" + key + "' must be a string");
        }
        return v.textValue();
    }

    /** A required list of layers, parsed by their own kinds. */
    public List<LayerSpec> layers(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw error("missing '" + key + "'");
        }
        return parser.layers(v, at + "." + key);
    }

    /** An optional single layer (a mapping), parsed by its kind; {@code defaultName} names it by default. */
    public java.util.Optional<LayerSpec> layer(String key, String defaultName) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(parser.layer(v, at + "." + key, defaultName));
    }

    /** An error about this layer. */
    public SpecException error(String problem) {
        return parser.error(at, problem);
    }
}
