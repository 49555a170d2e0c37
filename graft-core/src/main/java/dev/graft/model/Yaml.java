package dev.graft.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for {@link LayerSpec#yaml()}. */
final class Yaml {
    private Yaml() {}

    /** Key-value pairs in order, {@code null} values left out. */
    static Map<String, Object> args(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                out.put((String) kv[i], kv[i + 1]);
            }
        }
        return out;
    }
}
