package dev.graft.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.graft.checkpoint.Dims;
import dev.graft.model.LayerSpec.ActivationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads model specs from YAML. Unknown keys, unknown layer types and bad values are errors that
 * name the file and the layer's path, never silently ignored.
 */
public final class SpecParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The keys of a spec's top level. */
    public static final Set<String> SPEC_KEYS = Set.of("name", "input", "layers");

    /** The keys every layer may have, beside its type's own. */
    public static final Set<String> LAYER_KEYS = Set.of("name", "type");

    /** Each layer type with its own keys. */
    public static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("linear", Set.of("out", "bias")),
            Map.entry("conv2d", Set.of("out", "kernel", "stride", "padding", "groups", "bias")),
            Map.entry("batchnorm1d", Set.of("eps", "momentum")),
            Map.entry("batchnorm2d", Set.of("eps", "momentum")),
            Map.entry("layernorm", Set.of("eps")),
            Map.entry("relu", Set.of()),
            Map.entry("gelu", Set.of()),
            Map.entry("tanh", Set.of()),
            Map.entry("sigmoid", Set.of()),
            Map.entry("maxpool2d", Set.of("kernel", "stride", "padding")),
            Map.entry("avgpool2d", Set.of("kernel", "stride", "padding")),
            Map.entry("globalavgpool", Set.of()),
            Map.entry("flatten", Set.of()),
            Map.entry("dropout", Set.of("p")),
            Map.entry("sequential", Set.of("layers")),
            Map.entry("residual", Set.of("body", "projection", "activation")));

    private final String file;

    private SpecParser(String file) {
        this.file = file;
    }

    /**
     * Reads a spec file.
     *
     * @throws SpecException if the file is missing or the spec is invalid
     */
    public static ModelSpec read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new SpecException(path + ": no such file");
        } catch (IOException e) {
            throw new SpecException(path + ": cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /**
     * Parses spec text; {@code label} names it in errors.
     *
     * @throws SpecException if the spec is invalid
     */
    public static ModelSpec parse(String label, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw new SpecException(label + ": not valid YAML: " + msg);
        }
        return new SpecParser(label).spec(root);
    }

    private ModelSpec spec(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw error("", "a model spec is a mapping with 'input' and 'layers'");
        }
        checkKeys("", root, SPEC_KEYS);
        String name = root.has("name") ? text(root, "name", "") : "model";
        JsonNode in = require(root, "input", "");
        if (!in.isArray() || in.isEmpty()) {
            throw error("input", "must be a list of sizes, such as [1, 28, 28]");
        }
        long[] dims = new long[in.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!in.get(i).canConvertToInt() || in.get(i).intValue() <= 0 || !in.get(i).isIntegralNumber()) {
                throw error("input", "sizes must be positive integers");
            }
            dims[i] = in.get(i).intValue();
        }
        List<LayerSpec> layers = layers(require(root, "layers", ""), "layers");
        return new ModelSpec(name, file, new Dims(dims), new LayerSpec.Sequential("", layers));
    }

    private List<LayerSpec> layers(JsonNode node, String path) {
        if (!node.isArray()) {
            throw error(path, "must be a list of layers");
        }
        List<LayerSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            LayerSpec l = layer(node.get(i), path + "[" + i + "]", String.valueOf(i));
            if (!names.add(l.name())) {
                throw error(path + "[" + i + "]", "duplicate layer name '" + l.name() + "'");
            }
            out.add(l);
        }
        return out;
    }

    private LayerSpec layer(JsonNode n, String path, String defaultName) {
        if (!n.isObject()) {
            throw error(path, "a layer is a mapping with a 'type'");
        }
        String type = text(n, "type", path).toLowerCase(Locale.ROOT);
        Set<String> allowed = KEYS.get(type);
        if (allowed == null) {
            throw error(path, "unknown layer type '" + type + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())) + ")");
        }
        Set<String> all = new HashSet<>(allowed);
        all.addAll(LAYER_KEYS);
        checkKeys(path, n, all);
        String name = n.has("name") ? text(n, "name", path) : defaultName;
        if (name.isEmpty() || name.contains(".")) {
            throw error(path, "layer name '" + name + "' must be non-empty and contain no '.'");
        }
        String at = path + " (" + name + ")";
        return switch (type) {
            case "linear" -> new LayerSpec.Linear(name, positive(n, "out", at, -1), bool(n, "bias", at, true));
            case "conv2d" -> {
                int out = positive(n, "out", at, -1);
                int groups = positive(n, "groups", at, 1);
                if (out % groups != 0) {
                    throw error(at, "out " + out + " is not divisible by groups " + groups);
                }
                yield new LayerSpec.Conv2d(name, out, positive(n, "kernel", at, -1),
                        positive(n, "stride", at, 1), nonNegative(n, "padding", at, 0), groups,
                        bool(n, "bias", at, true));
            }
            case "batchnorm1d", "batchnorm2d" -> new LayerSpec.BatchNorm(name, type.charAt(9) - '0',
                    number(n, "eps", at, 1e-5), number(n, "momentum", at, 0.1));
            case "layernorm" -> new LayerSpec.LayerNorm(name, number(n, "eps", at, 1e-5));
            case "relu", "gelu", "tanh", "sigmoid" ->
                    new LayerSpec.Activation(name, ActivationKind.valueOf(type.toUpperCase(Locale.ROOT)));
            case "maxpool2d", "avgpool2d" -> {
                int k = positive(n, "kernel", at, -1);
                yield new LayerSpec.Pool2d(name, type.startsWith("max"), k, positive(n, "stride", at, k),
                        nonNegative(n, "padding", at, 0));
            }
            case "globalavgpool" -> new LayerSpec.GlobalAvgPool(name);
            case "flatten" -> new LayerSpec.Flatten(name);
            case "dropout" -> {
                double p = number(n, "p", at, 0.5);
                if (p < 0 || p >= 1) {
                    throw error(at, "p must be in [0, 1)");
                }
                yield new LayerSpec.Dropout(name, p);
            }
            case "sequential" -> new LayerSpec.Sequential(name, layers(require(n, "layers", at), at + ".layers"));
            case "residual" -> residual(n, at, name);
            default -> throw new IllegalStateException(type);
        };
    }

    private LayerSpec residual(JsonNode n, String at, String name) {
        LayerSpec.Sequential body = new LayerSpec.Sequential("body", layers(require(n, "body", at), at + ".body"));
        Optional<LayerSpec.Sequential> projection = n.has("projection")
                ? Optional.of(new LayerSpec.Sequential("projection",
                        layers(n.get("projection"), at + ".projection")))
                : Optional.empty();
        Optional<ActivationKind> act = Optional.empty();
        if (n.has("activation")) {
            String a = text(n, "activation", at).toUpperCase(Locale.ROOT);
            try {
                act = Optional.of(ActivationKind.valueOf(a));
            } catch (IllegalArgumentException e) {
                throw error(at, "unknown activation '" + a.toLowerCase(Locale.ROOT) + "'");
            }
        }
        return new LayerSpec.Residual(name, body, projection, act);
    }

    private void checkKeys(String path, JsonNode n, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(path, "unknown key '" + k + "'");
            }
        }
    }

    private JsonNode require(JsonNode n, String key, String path) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw error(path, "missing '" + key + "'");
        }
        return v;
    }

    private String text(JsonNode n, String key, String path) {
        JsonNode v = require(n, key, path);
        if (!v.isTextual()) {
            throw error(path, "'" + key + "' must be a string");
        }
        return v.textValue();
    }

    private int positive(JsonNode n, String key, String path, int fallback) {
        int v = integer(n, key, path, fallback);
        if (v <= 0) {
            throw error(path, "'" + key + "' must be a positive integer");
        }
        return v;
    }

    private int nonNegative(JsonNode n, String key, String path, int fallback) {
        int v = integer(n, key, path, fallback);
        if (v < 0) {
            throw error(path, "'" + key + "' must not be negative");
        }
        return v;
    }

    private int integer(JsonNode n, String key, String path, int fallback) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (fallback == -1) {
                throw error(path, "missing '" + key + "'");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(path, "'" + key + "' must be an integer");
        }
        return v.intValue();
    }

    private double number(JsonNode n, String key, String path, double fallback) {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(path, "'" + key + "' must be a number");
        }
        return v.doubleValue();
    }

    private boolean bool(JsonNode n, String key, String path, boolean fallback) {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(path, "'" + key + "' must be true or false");
        }
        return v.booleanValue();
    }

    private SpecException error(String path, String problem) {
        return new SpecException(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
