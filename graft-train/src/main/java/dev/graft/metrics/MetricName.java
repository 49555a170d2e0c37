package dev.graft.metrics;

import java.util.Locale;

/**
 * Metrics that can drive early stopping and model selection: a classification's accuracy and F1,
 * a regression's RMSE, MAE and R², and either's loss.
 */
public enum MetricName {
    ACCURACY, MACRO_F1, MICRO_F1, LOSS, RMSE, MAE, R2;

    /** Whether larger values are better. */
    public boolean higherIsBetter() {
        return this != LOSS && this != RMSE && this != MAE;
    }

    /**
     * {@code value} oriented so that larger is better, as a search maximizes: the value itself, or
     * minus it for an error (loss, RMSE, MAE: a search on RMSE maximizes −RMSE).
     */
    public double oriented(double value) {
        return higherIsBetter() ? value : -value;
    }

    /** Whether the metric measures a regression (RMSE, MAE, R²) rather than a classification. */
    public boolean regression() {
        return this == RMSE || this == MAE || this == R2;
    }

    /** Whether the metric applies to a task of this kind ({@code loss} applies to both). */
    public boolean appliesTo(boolean regressionTask) {
        return this == LOSS || regression() == regressionTask;
    }

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
