package dev.graft.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes transfer plans as YAML or JSON (the same tree either way). Unknown keys and
 * bad values are errors naming the file and the rule.
 *
 * <pre>
 * seed: 0
 * auto_match: true
 * rules:
 *   - match: "features.0.*"          # or regex: "features\\.0\\..*"
 *     mode: frozen                   # frozen | finetune (with lr) | reinit (with init, std)
 *   - match: "features.4.weight"
 *     transform: select_units        # copy | slice_pad | select_units | net2wider
 *     lr: 0.5                        #   | {type: adapt_input_channels, mode: sum|repeat|auto}
 *   - match: "head.*"
 *     source: "classifier.4.$1"
 *     units: {action: freeze, range: "0:8"}   # or indices: [0, 3, 5]
 *   - heads: "encoder.layer.*.attention.self" # whole attention heads: their q/k/v rows and
 *     transform: select_units                #   output-projection columns; only transform and units
 * </pre>
 */
public final class PlanCodec {
    private static final ObjectMapper YAML = new ObjectMapper(
            dev.graft.YamlText.factory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> RULE_KEYS =
            Set.of("match", "regex", "heads", "source", "transform", "mode", "lr", "init", "std", "units");
    /** The keys a heads rule may hold: what it names, and what it does to the heads. */
    private static final Set<String> HEADS_KEYS = Set.of("heads", "transform", "units");

    /** Every key a plan may hold, by where it appears: {@code plan}, {@code rule}, {@code transform}, {@code units}. */
    public static final Map<String, Set<String>> KEYS = Map.of(
            "plan", Set.of("rules", "auto_match", "seed"),
            "rule", RULE_KEYS,
            "transform", Set.of("type", "mode"),
            "units", Set.of("action", "indices", "range"));

    private PlanCodec() {}

    /**
     * Reads a plan file (YAML or JSON).
     *
     * @throws TransferException if the file is missing or the plan is invalid
     */
    public static TransferPlan read(Path path) {
        String text = dev.graft.YamlText.read(path, "a transfer plan", TransferException::new);
        return parse(path.toString(), text);
    }

    /** Parses plan text (YAML or JSON); {@code label} names it in errors. */
    public static TransferPlan parse(String label, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new TransferException(dev.graft.YamlText.syntaxError(label, e, "YAML or JSON"));
        }
        String empty = dev.graft.YamlText.firstEmptyKey(root);
        if (empty != null) {
            throw new TransferException(dev.graft.YamlText.emptyKeyError(label, empty));
        }
        return fromTree(label, root);
    }

    /** A plan from a parsed tree. */
    public static TransferPlan fromTree(String label, JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return TransferPlan.automatic();
        }
        if (!root.isObject()) {
            throw new TransferException(label + ": a plan is a mapping with 'rules'");
        }
        checkKeys(label, "", root, KEYS.get("plan"));
        long seed = 0;
        if (root.has("seed")) {
            if (!root.get("seed").canConvertToLong() || !root.get("seed").isIntegralNumber()) {
                throw new TransferException(label + ": 'seed' must be an integer");
            }
            seed = root.get("seed").longValue();
        }
        boolean auto = true;
        if (root.has("auto_match")) {
            if (!root.get("auto_match").isBoolean()) {
                throw new TransferException(label + ": 'auto_match' must be true or false");
            }
            auto = root.get("auto_match").booleanValue();
        }
        List<TransferRule> rules = new ArrayList<>();
        JsonNode list = root.get("rules");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new TransferException(label + ": 'rules' must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = "rule " + (i + 1);
                try {
                    rules.add(rule(label, where, list.get(i)));
                } catch (TransferException e) {
                    if (e.getMessage().startsWith(label + ":")) {
                        throw e;
                    }
                    throw new TransferException(label + ": " + where + ": " + e.getMessage());
                }
            }
        }
        return new TransferPlan(rules, auto, seed);
    }

    private static TransferRule rule(String label, String where, JsonNode n) {
        if (!n.isObject()) {
            throw new TransferException("a rule is a mapping with 'match' or 'regex'");
        }
        checkKeys(label, where, n, RULE_KEYS);
        int named = (n.has("match") ? 1 : 0) + (n.has("regex") ? 1 : 0) + (n.has("heads") ? 1 : 0);
        if (named != 1) {
            throw new TransferException("give exactly one of 'match' (a glob), 'regex' or 'heads'");
        }
        if (n.has("heads")) {
            return headsRule(n);
        }
        TensorMatch match = n.has("match") ? TensorMatch.glob(text(n, "match")) : TensorMatch.regex(text(n, "regex"));
        Optional<String> source = n.has("source") ? Optional.of(text(n, "source")) : Optional.empty();
        Transform transform = transform(n.get("transform"));
        String modeName = n.has("mode") ? text(n, "mode").toLowerCase(Locale.ROOT) : "finetune";
        Mode mode = switch (modeName) {
            case "frozen" -> new Mode.Frozen();
            case "finetune" -> new Mode.FineTune(n.has("lr") ? number(n, "lr") : 1.0);
            case "reinit" -> new Mode.Reinit(initializer(n));
            default -> throw new TransferException("unknown mode '" + modeName + "' (frozen, finetune, reinit)");
        };
        if (n.has("lr") && !modeName.equals("finetune")) {
            throw new TransferException("'lr' applies only to mode finetune");
        }
        if ((n.has("init") || n.has("std")) && !modeName.equals("reinit")) {
            throw new TransferException("'init' and 'std' apply only to mode reinit");
        }
        Optional<UnitMask> units = n.has("units") ? Optional.of(units(n.get("units"))) : Optional.empty();
        if (units.isPresent() && mode instanceof Mode.Reinit) {
            throw new TransferException("'units' needs a transferred tensor, not mode reinit");
        }
        if (units.isPresent() && units.get().action() != UnitMask.Action.TRANSFER && mode instanceof Mode.Frozen) {
            throw new TransferException("freezing units of a tensor that is frozen whole has no effect");
        }
        return new TransferRule(match, source, transform, mode, units);
    }

    /** A rule on the heads of the attention modules a glob names: only a transform and units. */
    private static TransferRule headsRule(JsonNode n) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!HEADS_KEYS.contains(k)) {
                throw new TransferException("a heads rule takes only transform and units, not '" + k
                        + "' (the tensors' own rules give source and mode)");
            }
        }
        Transform transform = transform(n.get("transform"));
        if (!transform.keepsHeadsWhole()) {
            throw new TransferException("transform " + transform.keyword() + " cuts single rows; a heads rule"
                    + " takes select_units (or copy, the default)");
        }
        Optional<UnitMask> units = n.has("units") ? Optional.of(units(n.get("units"))) : Optional.empty();
        if (units.isEmpty() && transform.equals(new Transform.Copy())) {
            throw new TransferException("a heads rule selects heads (transform: select_units) or masks them"
                    + " (units); this one does neither");
        }
        return TransferRule.heads(TensorMatch.glob(text(n, "heads")), transform, units);
    }

    private static Transform transform(JsonNode t) {
        if (t == null || t.isNull()) {
            return new Transform.Copy();
        }
        String type;
        Transform.AdaptInputChannels.Mode adapt = Transform.AdaptInputChannels.Mode.AUTO;
        if (t.isTextual()) {
            type = t.textValue();
        } else if (t.isObject()) {
            for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.get("transform").contains(k)) {
                    throw new TransferException("unknown transform key '" + k + "'");
                }
            }
            type = text(t, "type");
            if (t.has("mode")) {
                String m = text(t, "mode").toUpperCase(Locale.ROOT);
                try {
                    adapt = Transform.AdaptInputChannels.Mode.valueOf(m);
                } catch (IllegalArgumentException e) {
                    throw new TransferException("unknown adapt mode '" + m.toLowerCase(Locale.ROOT)
                            + "' (auto, sum, repeat)");
                }
            }
        } else {
            throw new TransferException("'transform' must be a name or a mapping with 'type'");
        }
        if (t.isObject() && t.has("mode") && !type.equals("adapt_input_channels")) {
            throw new TransferException("transform '" + type + "' takes no mode");
        }
        return switch (type) {
            case "copy" -> new Transform.Copy();
            case "slice_pad" -> new Transform.SlicePad();
            case "select_units" -> new Transform.SelectUnits();
            case "net2wider" -> new Transform.Net2Wider();
            case "adapt_input_channels" -> new Transform.AdaptInputChannels(adapt);
            default -> throw new TransferException("unknown transform '" + type
                    + "' (copy, slice_pad, select_units, net2wider, adapt_input_channels)");
        };
    }

    private static Initializer initializer(JsonNode n) {
        String kind = n.has("init") ? text(n, "init").toUpperCase(Locale.ROOT) : "DEFAULT";
        Initializer.Kind k;
        try {
            k = Initializer.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new TransferException("unknown init '" + kind.toLowerCase(Locale.ROOT)
                    + "' (default, xavier, kaiming, normal, zeros)");
        }
        if (n.has("std") && k != Initializer.Kind.NORMAL) {
            throw new TransferException("'std' applies only to init normal");
        }
        return new Initializer(k, k == Initializer.Kind.NORMAL ? (n.has("std") ? number(n, "std") : 0.01) : 0);
    }

    private static UnitMask units(JsonNode u) {
        if (!u.isObject()) {
            throw new TransferException("'units' must be a mapping with 'action' and 'indices' or 'range'");
        }
        for (Iterator<String> it = u.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.get("units").contains(k)) {
                throw new TransferException("unknown units key '" + k + "'");
            }
        }
        String a = u.has("action") ? text(u, "action").toUpperCase(Locale.ROOT) : "TRANSFER";
        UnitMask.Action action;
        try {
            action = UnitMask.Action.valueOf(a);
        } catch (IllegalArgumentException e) {
            throw new TransferException("unknown units action '" + a.toLowerCase(Locale.ROOT)
                    + "' (transfer, freeze, transfer_freeze)");
        }
        if (u.has("indices") == u.has("range")) {
            throw new TransferException("'units' needs exactly one of 'indices' or 'range'");
        }
        List<Integer> idx = new ArrayList<>();
        if (u.has("indices")) {
            JsonNode list = u.get("indices");
            if (!list.isArray()) {
                throw new TransferException("'indices' must be a list of unit numbers");
            }
            for (JsonNode i : list) {
                if (!i.isIntegralNumber() || !i.canConvertToInt()) {
                    throw new TransferException("'indices' must hold integers");
                }
                idx.add(i.intValue());
            }
            idx = idx.stream().sorted().toList();
        } else {
            String r = text(u, "range");
            String[] parts = r.split(":", -1);
            try {
                int from = Integer.parseInt(parts[0].trim());
                int to = Integer.parseInt(parts[1].trim());
                if (parts.length != 2 || from < 0 || to <= from) {
                    throw new NumberFormatException();
                }
                for (int i = from; i < to; i++) {
                    idx.add(i);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new TransferException("range '" + r + "' must read FROM:TO with 0 <= FROM < TO");
            }
        }
        return new UnitMask(idx, action);
    }

    /** The plan as a tree, in the same form {@link #fromTree} reads. */
    public static ObjectNode toTree(TransferPlan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("seed", plan.seed());
        root.put("auto_match", plan.autoMatch());
        ArrayNode rules = root.putArray("rules");
        for (TransferRule r : plan.rules()) {
            ObjectNode n = rules.addObject();
            if (r.scope() == TransferRule.Scope.HEADS) {
                n.put("heads", r.match().pattern());
                n.put("transform", r.transform().keyword());
                r.units().ifPresent(m -> units(n, m));
                continue;
            }
            n.put(r.match().glob() ? "match" : "regex", r.match().pattern());
            r.source().ifPresent(s -> n.put("source", s));
            if (r.transform() instanceof Transform.AdaptInputChannels a) {
                n.putObject("transform").put("type", a.keyword()).put("mode", a.mode().keyword());
            } else {
                n.put("transform", r.transform().keyword());
            }
            n.put("mode", r.mode().keyword());
            if (r.mode() instanceof Mode.FineTune f) {
                n.put("lr", f.lrMultiplier());
            }
            if (r.mode() instanceof Mode.Reinit ri) {
                n.put("init", ri.initializer().kind().keyword());
                if (ri.initializer().kind() == Initializer.Kind.NORMAL) {
                    n.put("std", ri.initializer().std());
                }
            }
            r.units().ifPresent(m -> units(n, m));
        }
        return root;
    }

    private static void units(ObjectNode rule, UnitMask m) {
        ObjectNode u = rule.putObject("units");
        u.put("action", m.action().keyword());
        List<Integer> idx = m.units();
        boolean contiguous = !idx.isEmpty() && idx.get(idx.size() - 1) - idx.get(0) == idx.size() - 1;
        if (contiguous) {
            u.put("range", idx.get(0) + ":" + (idx.get(idx.size() - 1) + 1));
        } else {
            ArrayNode arr = u.putArray("indices");
            idx.forEach(arr::add);
        }
    }

    /** The plan as indented JSON. */
    public static String toJson(TransferPlan plan) {
        try {
            return JSON.writeValueAsString(toTree(plan));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan as compact JSON, for checkpoint metadata. */
    public static String toCompactJson(TransferPlan plan) {
        return toTree(plan).toString();
    }

    /** The plan as YAML. */
    public static String toYaml(TransferPlan plan) {
        try {
            return YAML.writeValueAsString(toTree(plan));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkKeys(String label, String where, JsonNode n, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new TransferException(label + ": " + (where.isEmpty() ? "" : where + ": ")
                        + "unknown key '" + k + "'");
            }
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new TransferException("'" + key + "' must be a string");
        }
        return v.textValue();
    }

    private static double number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber()) {
            throw new TransferException("'" + key + "' must be a number");
        }
        return v.doubleValue();
    }
}
