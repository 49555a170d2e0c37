package dev.graft.metrics;

import java.util.Locale;

/**
 * Mean and sample standard deviation of repeated measurements (for example over seeds).
 *
 * @param mean the mean
 * @param sd the sample standard deviation (n − 1); 0 for a single value
 * @param n how many values
 */
public record Summary(double mean, double sd, int n) {

    public static Summary of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(Double.NaN, Double.NaN, 0);
        }
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= n;
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return new Summary(m, n > 1 ? Math.sqrt(s / (n - 1)) : 0, n);
    }

    /** As {@code 0.734 ± 0.021}. */
    public String format(int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", mean, sd);
    }
}
