package dev.graft.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How a trial ended, as every executor returns it (and {@link TrialCodec} carries it).
 *
 * @param id the request's id
 * @param state complete, pruned or failed
 * @param value the validation value (NaN if none)
 * @param message why it was pruned or failed, or empty
 * @param objectives each objective's value, for a search with several (empty otherwise)
 * @param stderr the standard error of {@code value} (NaN when unknown)
 * @param intermediate the validation value after each epoch, in order
 * @param prepareSeconds wall time spent preparing the experiment for this trial (0 when the
 *     executor had it prepared already)
 * @param trialSeconds wall time of the trial itself (transfer, fine-tune, evaluation)
 * @param run the fine-tune's run record as JSON ({@link dev.graft.experiment.RunRecord}); null when
 *     the trial failed before training
 */
public record TrialResult(String id, TrialState state, double value, String message, double[] objectives,
        double stderr, List<Double> intermediate, double prepareSeconds, double trialSeconds, JsonNode run)
        implements TrialMessage {

    public TrialResult {
        message = message == null ? "" : message;
        objectives = objectives == null ? new double[0] : objectives.clone();
        intermediate = intermediate == null ? List.of() : List.copyOf(intermediate);
    }

    @Override
    public double[] objectives() {
        return objectives.clone();
    }

    /** A trial that failed with {@code message} before it had a value. */
    public static TrialResult failed(String id, String message, List<Double> intermediate) {
        return new TrialResult(id, TrialState.FAILED, Double.NaN, message, new double[0], Double.NaN, intermediate,
                0, 0, null);
    }
}
