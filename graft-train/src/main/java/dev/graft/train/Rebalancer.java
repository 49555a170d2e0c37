package dev.graft.train;

import dev.graft.data.Examples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Class weights, random oversampling and SMOTE for imbalanced training sets. */
public final class Rebalancer {
    private Rebalancer() {}

    /** Weights N / (K · n_c); classes without samples get weight 0. */
    public static float[] classWeights(Examples data) {
        int[] counts = data.classCounts();
        float[] w = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = counts[c] == 0 ? 0f : (float) data.size() / (counts.length * counts[c]);
        }
        return w;
    }

    /** Every class topped up to the largest class by repeating random samples of its own. */
    public static Examples oversample(Examples data, SplittableRandom rnd) {
        List<List<Integer>> byClass = data.indicesByClass();
        int max = byClass.stream().mapToInt(List::size).max().orElse(0);
        List<Integer> idx = new ArrayList<>();
        for (List<Integer> ids : byClass) {
            idx.addAll(ids);
            for (int j = ids.size(); j < max && !ids.isEmpty(); j++) {
                idx.add(ids.get(rnd.nextInt(ids.size())));
            }
        }
        return data.subset(idx.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * SMOTE: each class is topped up to the largest with samples {@code x + u·(n − x)}, where x is
     * a random sample of the class, n one of its {@code k} nearest same-class neighbours
     * (Euclidean) and u uniform in [0, 1). A class with one sample is repeated instead.
     */
    public static Examples smote(Examples data, int k, SplittableRandom rnd) {
        List<List<Integer>> byClass = data.indicesByClass();
        int max = byClass.stream().mapToInt(List::size).max().orElse(0);
        int d = data.sampleSize();
        int extra = 0;
        for (List<Integer> ids : byClass) {
            extra += ids.isEmpty() ? 0 : max - ids.size();
        }
        float[] f = java.util.Arrays.copyOf(data.features(), data.features().length + extra * d);
        int[] l = java.util.Arrays.copyOf(data.labels(), data.size() + extra);
        int at = data.size();
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> ids = byClass.get(c);
            if (ids.isEmpty()) {
                continue;
            }
            int[][] neighbours = neighbours(data, ids, Math.min(k, ids.size() - 1));
            for (int j = ids.size(); j < max; j++) {
                int pick = rnd.nextInt(ids.size());
                int x = ids.get(pick);
                int n = neighbours[pick].length == 0 ? x : ids.get(neighbours[pick][rnd.nextInt(neighbours[pick].length)]);
                float u = (float) rnd.nextDouble();
                for (int q = 0; q < d; q++) {
                    float xv = data.features()[x * d + q];
                    f[at * d + q] = xv + u * (data.features()[n * d + q] - xv);
                }
                l[at++] = c;
            }
        }
        return new Examples(data.sampleShape(), f, l, data.classes());
    }

    /** For each sample of the class, the positions (within {@code ids}) of its k nearest others. */
    private static int[][] neighbours(Examples data, List<Integer> ids, int k) {
        int d = data.sampleSize();
        int[][] out = new int[ids.size()][];
        for (int a = 0; a < ids.size(); a++) {
            double[] dist = new double[ids.size()];
            for (int b = 0; b < ids.size(); b++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double diff = data.features()[ids.get(a) * d + q] - data.features()[ids.get(b) * d + q];
                    s += diff * diff;
                }
                dist[b] = b == a ? Double.POSITIVE_INFINITY : s;
            }
            final int self = a;
            out[a] = java.util.stream.IntStream.range(0, ids.size()).filter(b -> b != self).boxed()
                    .sorted(java.util.Comparator.comparingDouble(b -> dist[b])).limit(k)
                    .mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
