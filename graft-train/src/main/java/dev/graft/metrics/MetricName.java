package dev.graft.metrics;

import java.util.Locale;

/** Metrics that can drive early stopping and model selection. */
public enum MetricName {
    ACCURACY, MACRO_F1, MICRO_F1, LOSS;

    /** Whether larger values are better. */
    public boolean higherIsBetter() {
        return this != LOSS;
    }

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
