package dev.graft.experiment;

/**
 * What a run cost the source task, measured through the source head on the source task's test
 * images: accuracy of the source model before the transfer, and of the fine-tuned trunk with the
 * source head after it.
 *
 * @param before source test accuracy of the source model
 * @param after source test accuracy of the fine-tuned trunk with the source head
 */
public record Retention(double before, double after) {
    /** Source accuracy lost: before − after (0 when the trunk did not change). */
    public double forgetting() {
        return before - after;
    }
}
