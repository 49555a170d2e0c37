package dev.graft.train;

/** Hears about training progress; for consoles and reports. Called on the training thread. */
@FunctionalInterface
public interface TrainListener {
    void onEpoch(TrainResult.EpochRecord record, int epochs);

    /**
     * Asked after each epoch (once {@link #onEpoch} has run): true stops the run with status
     * PRUNED, keeping the weights it has. Pruners use it.
     */
    default boolean shouldStop(TrainResult.EpochRecord record) {
        return false;
    }

    TrainListener NONE = (r, n) -> { };
}
