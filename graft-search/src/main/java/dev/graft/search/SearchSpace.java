package dev.graft.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An ordered list of discrete dimensions. A point is one choice index per dimension; its
 * canonical key (the indices, joined) identifies it for caches and journals. Immutable.
 *
 * @param dimensions the genes, in order
 */
public record SearchSpace(List<Dimension> dimensions) {

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one dimension");
        }
    }

    public int rank() {
        return dimensions.size();
    }

    /** The number of distinct points (saturating at Long.MAX_VALUE). */
    public long cardinality() {
        long n = 1;
        for (Dimension d : dimensions) {
            n = n > Long.MAX_VALUE / d.size() ? Long.MAX_VALUE : n * d.size();
        }
        return n;
    }

    /** A uniformly random point. */
    public int[] random(SplittableRandom rnd) {
        int[] p = new int[rank()];
        for (int i = 0; i < p.length; i++) {
            p[i] = rnd.nextInt(dimensions.get(i).size());
        }
        return p;
    }

    /** Whether {@code point} has one valid index per dimension. */
    public boolean contains(int[] point) {
        if (point.length != rank()) {
            return false;
        }
        for (int i = 0; i < point.length; i++) {
            if (point[i] < 0 || point[i] >= dimensions.get(i).size()) {
                return false;
            }
        }
        return true;
    }

    /** The chosen values by dimension name, in order. */
    public Map<String, Object> decode(int[] point) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < point.length; i++) {
            out.put(dimensions.get(i).name(), dimensions.get(i).choices().get(point[i]));
        }
        return out;
    }

    /** The canonical key of a point. */
    public static String key(int[] point) {
        return Arrays.toString(point);
    }

    /** The indices of the dimensions that are searched (more than one choice). */
    public List<Integer> searched() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rank(); i++) {
            if (!dimensions.get(i).fixed()) {
                out.add(i);
            }
        }
        return out;
    }
}
