package dev.graft.train;

import dev.graft.metrics.MetricName;

/**
 * Stops when the validation metric has not improved for {@code patience} epochs.
 *
 * @param metric the validation metric watched
 * @param patience epochs without improvement before stopping; 0 turns early stopping off
 * @param restoreBest whether the weights of the best epoch are restored at the end
 */
public record EarlyStopping(MetricName metric, int patience, boolean restoreBest) {
    public static final EarlyStopping OFF = new EarlyStopping(MetricName.ACCURACY, 0, false);
}
