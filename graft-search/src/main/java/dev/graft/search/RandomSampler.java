package dev.graft.search;

import java.util.List;
import java.util.SplittableRandom;

/** Uniform random points; seeded. */
public final class RandomSampler implements Sampler {
    private final SplittableRandom rnd;

    public RandomSampler(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public int[] sample(SearchSpace space, List<Trial> history) {
        return space.random(rnd);
    }
}
