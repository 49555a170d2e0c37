package dev.graft.search;

import dev.graft.data.Examples;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Activations of frozen prefixes, computed once and reused by every trial that freezes the same
 * prefix (on the same split). Least recently used entries are dropped past the memory budget.
 * Thread-safe; a missing entry is computed under the lock, so it is computed once.
 */
public final class PrefixFeatureCache {
    private final long budgetBytes;
    private final LinkedHashMap<String, Features> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long used;
    private int hits;
    private int misses;

    /**
     * The cached activations of one prefix on one split.
     *
     * @param train the training split's activations
     * @param validation the validation split's, or null
     */
    public record Features(Examples train, Examples validation) {
        long bytes() {
            return 4L * (train.features().length + (validation == null ? 0 : validation.features().length));
        }
    }

    public PrefixFeatureCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The features under {@code key}, computing and storing them if absent. */
    public synchronized Features get(String key, Supplier<Features> compute) {
        Features f = entries.get(key);
        if (f != null) {
            hits++;
            return f;
        }
        misses++;
        f = compute.get();
        if (f.bytes() <= budgetBytes) {
            entries.put(key, f);
            used += f.bytes();
            var it = entries.entrySet().iterator();
            while (used > budgetBytes && it.hasNext()) {
                Map.Entry<String, Features> oldest = it.next();
                if (oldest.getKey().equals(key)) {
                    continue;
                }
                used -= oldest.getValue().bytes();
                it.remove();
            }
        }
        return f;
    }

    public synchronized int hits() {
        return hits;
    }

    public synchronized int misses() {
        return misses;
    }

    public synchronized long usedBytes() {
        return used;
    }
}
