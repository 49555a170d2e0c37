package dev.graft.search;

/**
 * A policy's estimated value with its standard error: what one noisy measurement of fitness
 * amounts to, and how sure it is.
 *
 * @param mean the estimated metric (accuracy or macro-F1, in [0, 1]); NaN when a fit diverged
 * @param stderr its standard error, in the same units; NaN when unknown
 * @param fineTunes the fine-tunes it cost (1 for holdout, folds × repeats for k-fold)
 */
public record Estimate(double mean, double stderr, int fineTunes) {

    /**
     * The binomial standard error of a proportion {@code p} measured on {@code n} images,
     * √(p(1 − p)/n): a holdout's noise from the validation images alone. With p at 0 or 1 it would
     * be 0, which no finite sample warrants, so p is kept within half an image of the bounds.
     */
    public static double binomial(double p, int n) {
        if (n <= 0 || Double.isNaN(p)) {
            return Double.NaN;
        }
        double q = Math.min(Math.max(p, 0.5 / n), 1 - 0.5 / n);
        return Math.sqrt(q * (1 - q) / n);
    }

    /**
     * The estimate of repeated k-fold cross-validation from its per-fold values.
     *
     * <p>The standard error is Nadeau and Bengio's corrected one (Machine Learning 52, 2003):
     * √((1/J + n₂/n₁) s²) over the J = k × repeats fold values with sample variance s², n₁ images
     * trained on and n₂ held out per fold. The naive s²/J is too small because folds share
     * training images; the correction adds the share of variance their overlap hides. It is never
     * below the binomial error of the mean over all {@code heldOut} predictions of one repetition,
     * since identical fold values (s = 0) do not make a finite test sample exact.
     *
     * @param folds the per-fold metric values; any NaN (a diverged fold) makes the estimate NaN
     * @param trained images trained on per fold (n₁)
     * @param heldOut images held out per fold (n₂)
     * @param labelled images in all folds of one repetition (the binomial floor's sample)
     * @throws IllegalArgumentException with fewer than 2 folds
     */
    public static Estimate ofFolds(double[] folds, int trained, int heldOut, int labelled) {
        if (folds.length < 2) {
            throw new IllegalArgumentException("need at least 2 fold values, got " + folds.length);
        }
        double mean = mean(folds);
        if (Double.isNaN(mean)) {
            return new Estimate(Double.NaN, Double.NaN, folds.length);
        }
        double corrected = Math.sqrt((1.0 / folds.length + (double) heldOut / trained) * variance(folds, mean));
        return new Estimate(mean, Math.max(corrected, binomial(mean, labelled)), folds.length);
    }

    /**
     * The estimate of several holdout fits that differ only in their training seed, scored on the
     * same {@code validation} images: seed-to-seed variance over the fits plus the validation
     * images' binomial variance, which every fit shares and repeats cannot average away.
     *
     * @throws IllegalArgumentException with no values
     */
    public static Estimate ofSeeds(double[] values, int validation) {
        if (values.length == 0) {
            throw new IllegalArgumentException("need at least 1 value");
        }
        double mean = mean(values);
        if (Double.isNaN(mean)) {
            return new Estimate(Double.NaN, Double.NaN, values.length);
        }
        double seeds = values.length > 1 ? variance(values, mean) / values.length : 0;
        double b = binomial(mean, validation);
        return new Estimate(mean, Math.sqrt(seeds + b * b), values.length);
    }

    /** The mean (NaN if any value is). */
    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The sample variance (n − 1 in the denominator) around {@code mean}. */
    static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
