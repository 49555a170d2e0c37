package dev.graft.train;

import java.util.List;

/**
 * How a fine-tune ended.
 *
 * @param status completed, stopped early, or diverged
 * @param message a one-line explanation (why it stopped or diverged)
 * @param history one record per finished epoch
 * @param bestEpoch the epoch whose weights the model holds at the end (0-based), or -1
 * @param steps optimizer steps taken
 * @param seconds wall time
 */
public record TrainResult(Status status, String message, List<EpochRecord> history, int bestEpoch, int steps,
        double seconds) {

    /** How a run ended. */
    public enum Status { COMPLETED, EARLY_STOPPED, PRUNED, DIVERGED }

    /**
     * One epoch.
     *
     * @param epoch 0-based
     * @param trainLoss mean training loss (with penalties)
     * @param validation the validation metric, NaN without a validation set
     * @param lr the learning rate at the epoch's last step
     * @param trainableTensors tensors updated in this epoch
     * @param seconds the epoch's wall time
     */
    public record EpochRecord(int epoch, double trainLoss, double validation, double lr, int trainableTensors,
            double seconds) {}
}
