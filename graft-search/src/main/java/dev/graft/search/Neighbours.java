package dev.graft.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Moves to nearby points: the neighbourhood of simulated annealing and of mutations. */
final class Neighbours {
    private Neighbours() {}

    /**
     * {@code point} with {@code k} searched genes changed: an ordinal gene moves one step (inward
     * at an edge), a categorical gene takes another value at random.
     */
    static int[] move(SearchSpace space, int[] point, int k, SplittableRandom rnd) {
        List<Integer> searched = new ArrayList<>(space.searched());
        int[] out = point.clone();
        if (searched.isEmpty()) {
            return out;
        }
        for (int i = searched.size() - 1; i > 0; i--) {
            Collections.swap(searched, i, rnd.nextInt(i + 1));
        }
        for (int j = 0; j < Math.min(k, searched.size()); j++) {
            int d = searched.get(j);
            Dimension dim = space.dimensions().get(d);
            if (dim.ordinal()) {
                int step = rnd.nextBoolean() ? 1 : -1;
                int v = out[d] + step;
                out[d] = v < 0 || v >= dim.size() ? out[d] - step : v;
            } else {
                int v = rnd.nextInt(dim.size() - 1);
                out[d] = v >= out[d] ? v + 1 : v;
            }
        }
        return out;
    }
}
