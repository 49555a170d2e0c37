package dev.graft.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.Dims;
import java.io.IOException;
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
    private static final ObjectMapper YAML = new ObjectMapper(dev.graft.YamlText.factory());

    /** The keys of a spec's top level. */
    public static final Set<String> SPEC_KEYS = Set.of("name", "input", "layers", "head");

    /** The keys every layer may have, beside its type's own. */
    public static final Set<String> LAYER_KEYS = Set.of("name", "type");

    /** Each registered layer type with its own keys (see {@link LayerKinds}). */
    public static final Map<String, Set<String>> KEYS = LayerKinds.keys();

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
        String text = dev.graft.YamlText.read(path, "a model spec", SpecException::new);
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
            throw new SpecException(dev.graft.YamlText.syntaxError(label, e, "YAML"));
        }
        String empty = dev.graft.YamlText.firstEmptyKey(root);
        if (empty != null) {
            throw new SpecException(dev.graft.YamlText.emptyKeyError(label, empty));
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
        Optional<String> head = root.has("head") ? Optional.of(text(root, "head", "")) : Optional.empty();
        return new ModelSpec(name, file, new Dims(dims), new SequentialLayer("", layers), head);
    }

    List<LayerSpec> layers(JsonNode node, String path) {
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

    LayerSpec layer(JsonNode n, String path, String defaultName) {
        if (!n.isObject()) {
            throw error(path, "a layer is a mapping with a 'type'");
        }
        String type = text(n, "type", path).toLowerCase(Locale.ROOT);
        LayerKind kind = LayerKinds.get(type).orElseThrow(() -> error(path, "unknown layer type '" + type
                + "' (known: " + String.join(", ", LayerKinds.keywords()) + ")"));
        Set<String> all = new HashSet<>(kind.keys());
        all.addAll(LAYER_KEYS);
        checkKeys(path, n, all);
        String name = n.has("name") ? text(n, "name", path) : defaultName;
        if (name.isEmpty() || name.contains(".")) {
            throw error(path, "layer name '" + name + "' must be non-empty and contain no '.'");
        }
        return kind.parse(new LayerArgs(this, n, path + " (" + name + ")", name));
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

    SpecException error(String path, String problem) {
        return new SpecException(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
