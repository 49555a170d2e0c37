package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled samples held in memory: features row-major ({@code size × sampleShape}), one class
 * index per sample. Immutable by convention: operations return new instances and never change
 * their input arrays.
 *
 * @param sampleShape the shape of one sample ({@code [C, H, W]} or {@code [F]})
 * @param features all features, sample after sample
 * @param labels class indices in {@code [0, classes)}
 * @param classes the number of classes
 * @param groups each sample's group, or null when the task defines none ({@code data.groups});
 *     every operation that selects samples carries them along
 * @param targets a regression task's real-valued targets, or null for classification; a
 *     regression's samples all have label 0 of a single class (so splits, shots and batches work
 *     unchanged), and every operation that selects samples carries the targets along
 */
public record Examples(Dims sampleShape, float[] features, int[] labels, int classes, Groups groups,
        RegressionTargets targets) {

    /** Samples without groups. */
    public Examples(Dims sampleShape, float[] features, int[] labels, int classes) {
        this(sampleShape, features, labels, classes, null, null);
    }

    /** Classification samples. */
    public Examples(Dims sampleShape, float[] features, int[] labels, int classes, Groups groups) {
        this(sampleShape, features, labels, classes, groups, null);
    }

    public Examples {
        if (targets != null && (targets.values().length != labels.length || classes != 1)) {
            throw new IllegalArgumentException(labels.length + " samples of " + classes + " classes but "
                    + targets.values().length + " regression targets (a regression has one class)");
        }
        if (groups != null && groups.of().length != labels.length) {
            throw new IllegalArgumentException(labels.length + " samples but " + groups.of().length + " group entries");
        }
        long per = sampleShape.count();
        if (features.length != per * labels.length) {
            throw new IllegalArgumentException(labels.length + " samples of " + sampleShape + " need "
                    + per * labels.length + " features, got " + features.length);
        }
        for (int l : labels) {
            if (l < 0 || l >= classes) {
                throw new IllegalArgumentException("label " + l + " outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Features per sample. */
    public int sampleSize() {
        return (int) sampleShape.count();
    }

    /** The shape of a batch of {@code n} samples: {@code [n, ...sampleShape]}, as the engine takes it. */
    public long[] batchShape(int n) {
        long[] shape = sampleShape.sizes();
        long[] out = new long[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** A copy of the features of samples {@code from} to {@code from + n - 1}, sample after sample. */
    public float[] features(int from, int n) {
        int d = sampleSize();
        return Arrays.copyOfRange(features, from * d, (from + n) * d);
    }

    /** A copy of sample {@code i}'s features. */
    public float[] sample(int i) {
        int d = sampleSize();
        return Arrays.copyOfRange(features, i * d, (i + 1) * d);
    }

    /** The samples at {@code indices}, in that order (repeats allowed). */
    public Examples subset(int[] indices) {
        int d = sampleSize();
        float[] f = new float[indices.length * d];
        int[] l = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(features, indices[j] * d, f, j * d, d);
            l[j] = labels[indices[j]];
        }
        return new Examples(sampleShape, f, l, classes, groups == null ? null : groups.subset(indices),
                targets == null ? null : targets.subset(indices));
    }

    /** Samples per class. */
    public int[] classCounts() {
        int[] c = new int[classes];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    /** Indices of each class's samples, in order. */
    public List<List<Integer>> indicesByClass() {
        List<List<Integer>> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            out.get(labels[i]).add(i);
        }
        return out;
    }

    /**
     * Keeps the samples of the listed classes and relabels them by position: {@code classes[k]}
     * becomes class {@code k}.
     *
     * @throws DataException if a class is out of range, repeated, or has no sample
     */
    public Examples selectClasses(int[] keep) {
        return selectClasses(keep, true);
    }

    /**
     * As {@link #selectClasses(int[])}; with {@code requireEach} false a kept class may have no
     * sample (a test set need not hold every class).
     *
     * @throws DataException if a class is out of range or repeated, or, when {@code requireEach},
     *     has no sample
     */
    public Examples selectClasses(int[] keep, boolean requireEach) {
        int[] map = new int[classes];
        Arrays.fill(map, -1);
        for (int k = 0; k < keep.length; k++) {
            if (keep[k] < 0 || keep[k] >= classes || map[keep[k]] >= 0) {
                throw new DataException("class list " + Arrays.toString(keep) + " names class " + keep[k]
                        + ", which is out of range or repeated (" + classes + " classes)");
            }
            map[keep[k]] = k;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (map[labels[i]] >= 0) {
                idx.add(i);
            }
        }
        Examples sub = subset(idx.stream().mapToInt(Integer::intValue).toArray());
        int[] relabelled = new int[sub.size()];
        for (int i = 0; i < relabelled.length; i++) {
            relabelled[i] = map[sub.labels[i]];
        }
        Examples out = new Examples(sampleShape, sub.features, relabelled, keep.length, sub.groups);
        int[] counts = out.classCounts();
        for (int k = 0; k < counts.length; k++) {
            if (requireEach && counts[k] == 0) {
                throw new DataException("class " + keep[k] + " has no samples");
            }
        }
        return out;
    }

    /** At most {@code caps[c]} samples of each class c, the first ones in order (simulated imbalance). */
    public Examples capPerClass(int[] caps) {
        if (caps.length != classes) {
            throw new DataException("caps list has " + caps.length + " entries for " + classes + " classes");
        }
        int[] taken = new int[classes];
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (taken[labels[i]]++ < caps[labels[i]]) {
                idx.add(i);
            }
        }
        return subset(idx.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A train/rest pair. */
    public record Split(Examples first, Examples rest) {}

    /**
     * {@code k} samples of each class drawn at random (seeded) for the first part; the others
     * stay in the rest, in their original order.
     *
     * @throws DataException if a class has fewer than {@code k} samples
     */
    public Split kShot(int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] chosen = new boolean[size()];
        List<List<Integer>> byClass = indicesByClass();
        for (int c = 0; c < classes; c++) {
            List<Integer> ids = new ArrayList<>(byClass.get(c));
            if (ids.size() < k) {
                throw new DataException("class " + c + " has " + ids.size() + " samples, fewer than " + k + " shots");
            }
            for (int j = 0; j < k; j++) {
                int pick = j + rnd.nextInt(ids.size() - j);
                java.util.Collections.swap(ids, j, pick);
                chosen[ids.get(j)] = true;
            }
        }
        return partition(chosen);
    }

    /**
     * A stratified split: within each class, a seeded shuffle puts {@code round(fraction × n)}
     * samples in the first part.
     */
    public Split stratifiedSplit(double fraction, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] chosen = new boolean[size()];
        for (List<Integer> ids : indicesByClass()) {
            List<Integer> shuffled = new ArrayList<>(ids);
            for (int j = shuffled.size() - 1; j > 0; j--) {
                java.util.Collections.swap(shuffled, j, rnd.nextInt(j + 1));
            }
            int take = (int) Math.round(fraction * shuffled.size());
            for (int j = 0; j < take; j++) {
                chosen[shuffled.get(j)] = true;
            }
        }
        return partition(chosen);
    }

    /**
     * Stratified k-fold assignment: within each class a seeded shuffle deals samples to folds in
     * turn, so every fold holds about 1/k of each class.
     *
     * @return for each fold, the indices of its samples
     */
    public List<int[]> stratifiedFolds(int k, long seed) {
        if (k < 2) {
            throw new DataException("cross-validation needs at least 2 folds, got " + k);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Integer> ids : indicesByClass()) {
            List<Integer> shuffled = new ArrayList<>(ids);
            for (int j = shuffled.size() - 1; j > 0; j--) {
                java.util.Collections.swap(shuffled, j, rnd.nextInt(j + 1));
            }
            for (int i : shuffled) {
                folds.get(next++ % k).add(i);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> f : folds) {
            out.add(f.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        return out;
    }

    private Split partition(boolean[] chosen) {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < chosen.length; i++) {
            (chosen[i] ? a : b).add(i);
        }
        return new Split(subset(a.stream().mapToInt(Integer::intValue).toArray()),
                subset(b.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Per-channel (first axis of a sample) mean and standard deviation. */
    public Normalization channelStats() {
        int channels = sampleShape.rank() > 1 ? (int) sampleShape.get(0) : 1;
        int per = sampleSize() / channels;
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < per; k++) {
                    double v = features[i * sampleSize() + c * per + k];
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        double n = (double) size() * per;
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (sum[c] / n);
            std[c] = (float) Math.sqrt(Math.max(sq[c] / n - mean[c] * (double) mean[c], 1e-12));
        }
        return new Normalization(mean, std);
    }

    /**
     * Per-feature mean and standard deviation, for samples that are feature vectors ({@code [F]}):
     * each column gets its own, so a column in the thousands beside columns near 1 does not
     * swamp them (one statistic over all columns left the small ones near a constant). A constant
     * column gets std 1, as scikit-learn's StandardScaler does, so that a different value in the
     * test set stays finite. Two passes in double precision: a column like 1000 ± 0.001 keeps its
     * spread.
     *
     * @throws IllegalStateException if the samples are not feature vectors or there are none
     */
    public Normalization featureStats() {
        if (sampleShape.rank() != 1 || size() == 0) {
            throw new IllegalStateException("per-feature statistics need feature vectors and a sample, got "
                    + size() + " of " + sampleShape);
        }
        int d = sampleSize();
        double[] sum = new double[d];
        for (int i = 0; i < size(); i++) {
            for (int k = 0; k < d; k++) {
                sum[k] += features[i * d + k];
            }
        }
        double[] mean = new double[d];
        for (int k = 0; k < d; k++) {
            mean[k] = sum[k] / size();
        }
        double[] sq = new double[d];
        for (int i = 0; i < size(); i++) {
            for (int k = 0; k < d; k++) {
                double dev = features[i * d + k] - mean[k];
                sq[k] += dev * dev;
            }
        }
        float[] m = new float[d];
        float[] s = new float[d];
        for (int k = 0; k < d; k++) {
            m[k] = (float) mean[k];
            float std = (float) Math.sqrt(sq[k] / size());
            s[k] = std > 0 && Float.isFinite(1 / std) ? std : 1f;
        }
        return new Normalization(m, s);
    }

    /** The samples normalized per channel (or per feature, when there is a constant per feature). */
    public Examples normalized(Normalization norm) {
        int channels = norm.mean().length;
        int per = sampleSize() / channels;
        float[] f = new float[features.length];
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < per; k++) {
                    int at = i * sampleSize() + c * per + k;
                    f[at] = (features[at] - norm.mean()[c]) / norm.std()[c];
                }
            }
        }
        return new Examples(sampleShape, f, labels, classes, groups, targets);
    }

    /** The same samples with {@code g} as their groups (null: none). */
    public Examples withGroups(Groups g) {
        return new Examples(sampleShape, features, labels, classes, g, targets);
    }

    /** The same samples with {@code t} as their regression targets (null: a classification). */
    public Examples withTargets(RegressionTargets t) {
        return new Examples(sampleShape, features, labels, classes, groups, t);
    }

    /** Whether the samples have real-valued targets rather than classes. */
    public boolean regression() {
        return targets != null;
    }

    /** Both sets' samples, this one's first; groups are kept only when both sets have them. */
    public Examples concat(Examples other) {
        if (!other.sampleShape.equals(sampleShape) || other.classes != classes
                || (targets == null) != (other.targets == null)) {
            throw new IllegalArgumentException("cannot join " + sampleShape + " and " + other.sampleShape);
        }
        float[] f = Arrays.copyOf(features, features.length + other.features.length);
        System.arraycopy(other.features, 0, f, features.length, other.features.length);
        int[] l = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        Groups g = groups == null || other.groups == null ? null : groups.concat(other.groups);
        return new Examples(sampleShape, f, l, classes, g, targets == null ? null : targets.concat(other.targets));
    }

    /**
     * Normalization constants, one per entry of a sample's first axis (a channel of an image, a
     * feature of a vector), or a single one for all values.
     *
     * @param mean the means
     * @param std the standard deviations
     */
    public record Normalization(float[] mean, float[] std) {}
}
