package dev.graft.search;

import java.util.List;

/**
 * Every point in turn, in mixed-radix order over the searched dimensions (the last dimension
 * fastest). After the last point it is {@link #exhausted} (the search runner stops there); asked
 * again anyway, it starts over. Its state is the count of points proposed, so a study replayed
 * from a journal (which asks it once per recorded trial) goes on where it was.
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

    @Override
    public boolean exhausted(SearchSpace space) {
        return next >= space.cardinality();
    }
}
