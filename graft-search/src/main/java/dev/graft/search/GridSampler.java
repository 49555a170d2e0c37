package dev.graft.search;

import java.util.List;

/**
 * Every point in turn, in mixed-radix order over the searched dimensions (the last dimension
 * fastest). After the last point it starts over, so a budget larger than the grid repeats points.
 */
public final class GridSampler implements Sampler {
    private long next;

    @Override
    public int[] sample(SearchSpace space, List<Trial> history) {
        long index = next++ % Math.max(1, space.cardinality());
        int[] p = new int[space.rank()];
        for (int i = space.rank() - 1; i >= 0; i--) {
            int size = space.dimensions().get(i).size();
            p[i] = (int) (index % size);
            index /= size;
        }
        return p;
    }
}
