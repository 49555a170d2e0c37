package dev.graft.model;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a model spec as the YAML that {@link SpecParser} reads back into the same spec: each
 * layer as its kind's keys ({@link LayerSpec#yaml()}), layers without nested ones on one line,
 * names left out where they are the default (the index in a list).
 */
public final class SpecWriter {
    private SpecWriter() {}

    /** The spec as YAML text. */
    public static String write(ModelSpec spec) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("name", spec.name());
        top.put("input", java.util.Arrays.stream(spec.input().sizes()).boxed().toList());
        spec.head().ifPresent(h -> top.put("head", h));
        top.put("layers", layers(spec.root().layers()));
        StringBuilder sb = new StringBuilder();
        map(sb, top, 0, "");
        return sb.toString();
    }

    private static List<Map<String, Object>> layers(List<LayerSpec> layers) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(layer(layers.get(i), String.valueOf(i)));
        }
        return out;
    }

    private static Map<String, Object> layer(LayerSpec l, String defaultName) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!l.name().equals(defaultName)) {
            m.put("name", l.name());
        }
        m.put("type", l.type());
        l.yaml().forEach((k, v) -> m.put(k, value(v)));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        if (v instanceof LayerSpec l) {
            return layer(l, null);
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof LayerSpec) {
            return layers((List<LayerSpec>) list);
        }
        return v;
    }

    private static boolean flat(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List<?> l
                    && !l.isEmpty() && l.get(0) instanceof Map));
        }
        return !(v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map);
    }

    /** A block mapping whose lines start at {@code indent}, the first one with {@code first} instead. */
    private static void map(StringBuilder sb, Map<String, Object> m, int indent, String first) {
        String pad = " ".repeat(indent);
        boolean isFirst = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append(isFirst ? first : pad).append(e.getKey()).append(':');
            isFirst = false;
            Object v = e.getValue();
            if (flat(v)) {
                sb.append(' ').append(scalar(v)).append('\n');
            } else if (v instanceof Map<?, ?> sub) {
                sb.append('\n');
                map(sb, cast(sub), indent + 2, pad + "  ");
            } else {
                sb.append('\n');
                for (Object item : (List<?>) v) {
                    if (flat(item)) {
                        sb.append(pad).append("  - ").append(scalar(item)).append('\n');
                    } else {
                        map(sb, cast((Map<?, ?>) item), indent + 4, pad + "  - ");
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static String scalar(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + ": " + scalar(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(SpecWriter::scalar).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Double d) {
            return new BigDecimal(Double.toString(d)).toPlainString();
        }
        if (v instanceof String s) {
            return s.matches("[A-Za-z_][A-Za-z0-9_.]*") && !s.matches("(?i)true|false|yes|no|on|off|null|y|n")
                    ? s : "'" + s.replace("'", "''") + "'";
        }
        return String.valueOf(v);
    }
}
