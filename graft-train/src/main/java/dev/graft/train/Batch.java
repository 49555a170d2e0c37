package dev.graft.train;

/**
 * A training batch: features {@code [n × sampleSize]} and soft targets {@code [n × classes]}.
 *
 * @param features the inputs, sample after sample
 * @param targets per-sample class distributions (one-hot unless smoothed or mixed), or for a regression one
 *     standardized target per sample
 * @param labels each sample's hard label (before mixing)
 * @param n the number of samples
 */
public record Batch(float[] features, float[] targets, int[] labels, int n) {}
