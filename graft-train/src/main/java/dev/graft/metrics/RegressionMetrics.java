package dev.graft.metrics;

/**
 * Regression quality on one set of predictions, in the target's own units: root mean squared
 * error, mean absolute error and the coefficient of determination
 * {@code R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²} (scikit-learn's {@code r2_score}: 1 for perfect
 * predictions, 0 for always predicting the mean, negative for worse; NaN when the truth is
 * constant, where scikit-learn's 0 or 1 would be a convention, not a measurement).
 *
 * @param rmse √(mean (y − ŷ)²)
 * @param mae mean |y − ŷ|
 * @param r2 the coefficient of determination
 * @param loss the training loss's mean on these samples (standardized units), or NaN
 * @param truth the true values, in sample order
 * @param predicted the predicted values, in sample order
 */
public record RegressionMetrics(double rmse, double mae, double r2, double loss, double[] truth, double[] predicted) {

    /**
     * Metrics of {@code predicted} against {@code truth}.
     *
     * @param loss the loss to record (computed by the caller, which knows the standardization), or NaN
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static RegressionMetrics of(double[] truth, double[] predicted, double loss) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true values but " + predicted.length + " predictions");
        }
        int n = truth.length;
        if (n == 0) {
            return new RegressionMetrics(Double.NaN, Double.NaN, Double.NaN, loss, truth, predicted);
        }
        double mean = 0;
        for (double y : truth) {
            mean += y;
        }
        mean /= n;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            sse += e * e;
            sae += Math.abs(e);
            sst += (truth[i] - mean) * (truth[i] - mean);
        }
        return new RegressionMetrics(Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst, loss, truth,
                predicted);
    }
}
