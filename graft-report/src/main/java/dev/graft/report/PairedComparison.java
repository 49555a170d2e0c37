package dev.graft.report;

import dev.graft.experiment.RunRecord;
import dev.graft.metrics.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the strategy with the highest mean test accuracy at one shot count really beats the
 * others, judged on paired runs: for each other strategy, the differences in test accuracy
 * (best minus other) over the seeds both ran without diverging. Seeds share their data split and
 * initialization draws, so pairing removes the seed-to-seed spread that makes two means a few
 * thousandths apart meaningless.
 *
 * <p>The rule: the best strategy is a <em>clear winner</em> when it beats every other strategy at
 * that shot count with a two-sided paired t-test p below {@link #ALPHA} and a positive mean
 * difference. Requiring every comparison to pass is an intersection-union test, so the claim
 * "better than all of them" holds at level {@code ALPHA} without a multiplicity correction. The
 * exact sign test is shown beside it as the check that assumes nothing about the shape of the
 * differences (with fewer than six seeds it can never reach 0.05).
 *
 * <p>Immutable and thread-safe.
 *
 * @param shots shots per class (0: the whole pool)
 * @param best the strategy with the highest mean test accuracy (on a tie, the one that ran first)
 * @param accuracy its test accuracy over seeds
 * @param pairs its paired comparison with every other strategy that has a finished run at this
 *     shot count, in the order the strategies ran
 */
record PairedComparison(int shots, String best, Summary accuracy, List<Pair> pairs) {
    /** The significance level of the rule. */
    static final double ALPHA = 0.05;

    PairedComparison {
        pairs = List.copyOf(pairs);
    }

    /**
     * The best strategy against one other.
     *
     * @param other the other strategy
     * @param difference best minus other test accuracy over the shared seeds (accuracy points, 0-1)
     * @param wins shared seeds where the best did better
     * @param losses shared seeds where it did worse
     * @param ties shared seeds with equal accuracy
     * @param signP exact two-sided sign-test p-value (ties dropped); 1 when every seed ties
     * @param tP two-sided paired t-test p-value; NaN with fewer than two shared seeds
     */
    record Pair(String other, Summary difference, int wins, int losses, int ties, double signP, double tP) {
        /** Whether this comparison supports the best strategy under the rule. */
        boolean significant() {
            return difference.n() >= 2 && difference.mean() > 0 && tP < ALPHA;
        }
    }

    /** Whether the best strategy beats every other one under the rule (false with no other to beat). */
    boolean clearWinner() {
        return !pairs.isEmpty() && pairs.stream().allMatch(Pair::significant);
    }

    /** One comparison per shot count that has a finished run, in increasing shots ("all" last). */
    static List<PairedComparison> of(List<RunRecord> runs) {
        Map<Integer, Map<String, Map<Long, Double>>> byShots = new TreeMap<>(Comparator.comparingInt(
                PairedComparison::shotOrder));
        for (RunRecord r : runs) {
            if (r.test() != null && !Double.isNaN(r.accuracy())) {
                byShots.computeIfAbsent(r.shots(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.strategy(), k -> new LinkedHashMap<>()).put(r.seed(), r.accuracy());
            }
        }
        List<PairedComparison> out = new ArrayList<>();
        byShots.forEach((shots, strategies) -> {
            String best = null;
            double bestMean = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, Map<Long, Double>> e : strategies.entrySet()) {
                double mean = mean(e.getValue().values());
                if (mean > bestMean) { // strict: on a tie the strategy that ran first stays best
                    best = e.getKey();
                    bestMean = mean;
                }
            }
            Map<Long, Double> top = strategies.get(best);
            List<Pair> pairs = new ArrayList<>();
            for (Map.Entry<String, Map<Long, Double>> e : strategies.entrySet()) {
                if (!e.getKey().equals(best)) {
                    pairs.add(pair(e.getKey(), top, e.getValue()));
                }
            }
            out.add(new PairedComparison(shots, best,
                    Summary.of(top.values().stream().mapToDouble(Double::doubleValue).toArray()), pairs));
        });
        return out;
    }

    /** "All" (0) sorts after every finite shot count. */
    static int shotOrder(int shots) {
        return shots == 0 ? Integer.MAX_VALUE : shots;
    }

    private static Pair pair(String other, Map<Long, Double> best, Map<Long, Double> theirs) {
        List<Double> d = new ArrayList<>();
        best.forEach((seed, a) -> {
            Double b = theirs.get(seed);
            if (b != null) {
                d.add(a - b);
            }
        });
        double[] diffs = d.stream().mapToDouble(Double::doubleValue).toArray();
        int wins = 0;
        int losses = 0;
        for (double x : diffs) {
            // accuracies are ratios of counts; a difference below 1e-12 is float noise, a tie
            if (x > 1e-12) {
                wins++;
            } else if (x < -1e-12) {
                losses++;
            }
        }
        return new Pair(other, Summary.of(diffs), wins, losses, diffs.length - wins - losses, signTest(wins, losses),
                pairedT(diffs));
    }

    private static double mean(java.util.Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * The exact two-sided sign test: the probability, under a fair coin, of a split at least as
     * uneven as {@code wins : losses}. Ties are dropped before calling.
     *
     * @return the p-value in (0, 1]; 1 when {@code wins + losses == 0}
     */
    static double signTest(int wins, int losses) {
        int n = wins + losses;
        int k = Math.min(wins, losses);
        double tail = 0;
        double c = 1; // C(n, i), built up term by term
        for (int i = 0; i <= k; i++) {
            tail += c;
            c = c * (n - i) / (i + 1);
        }
        return Math.min(1, 2 * tail / Math.pow(2, n));
    }

    /**
     * The two-sided paired t-test of mean difference 0: t = mean / (sd / √n) with n − 1 degrees
     * of freedom. Identical differences (sd 0) give p = 0 when their mean is not 0 and p = 1 when
     * it is.
     *
     * @return the p-value; NaN with fewer than two differences
     */
    static double pairedT(double[] diffs) {
        Summary s = Summary.of(diffs);
        if (s.n() < 2) {
            return Double.NaN;
        }
        if (s.sd() < 1e-12) {
            return Math.abs(s.mean()) < 1e-12 ? 1 : 0;
        }
        double t = s.mean() / (s.sd() / Math.sqrt(s.n()));
        return studentTwoSided(t, s.n() - 1);
    }

    /**
     * P(|T| ≥ |t|) for Student's t with {@code df} degrees of freedom, as the regularized
     * incomplete beta function I_x(df/2, 1/2) at x = df / (df + t²) (Abramowitz and Stegun 26.7.1
     * and 26.5.27).
     */
    static double studentTwoSided(double t, int df) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
    }

    /**
     * I_x(a, b) by its continued fraction, evaluated with the modified Lentz method (Numerical
     * Recipes, 3rd ed., section 6.4); on the side of x where the fraction converges fast, using
     * I_x(a, b) = 1 − I_{1−x}(b, a) otherwise.
     */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        return x < (a + 1) / (a + b + 2) ? front * betaFraction(x, a, b) / a
                : 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** ln Γ(x) for x > 0 by Lanczos' approximation (g = 7, 9 terms; about 15 significant digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        x -= 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) {
            sum += g[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
