package dev.graft.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a driver and an executor say to each other about a trial, one JSON object per message
 * ({@link TrialCodec}): a {@link TrialRequest}; the executor is {@link Ready}; after each epoch an
 * {@link Epoch} value, answered by a {@link Decision} when the request waits for one; finally the
 * {@link TrialResult}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrialRequest.class, name = "request"),
    @JsonSubTypes.Type(value = TrialResult.class, name = "result"),
    @JsonSubTypes.Type(value = TrialMessage.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = TrialMessage.Epoch.class, name = "epoch"),
    @JsonSubTypes.Type(value = TrialMessage.Decision.class, name = "decision")})
public sealed interface TrialMessage permits TrialRequest, TrialResult, TrialMessage.Ready, TrialMessage.Epoch,
        TrialMessage.Decision {

    /** An executor is started and takes requests. */
    record Ready() implements TrialMessage {}

    /**
     * A validation value after an epoch of a running trial.
     *
     * @param id the request's id
     * @param epoch the epoch, from 0
     * @param value the validation metric (higher is better)
     */
    record Epoch(String id, int epoch, double value) implements TrialMessage {}

    /** Whether the trial goes on after the epoch just reported (false: pruned). */
    record Decision(boolean proceed) implements TrialMessage {}
}
