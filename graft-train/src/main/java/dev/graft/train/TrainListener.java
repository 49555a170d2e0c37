package dev.graft.train;

/** Hears about training progress; for consoles and reports. Called on the training thread. */
@FunctionalInterface
public interface TrainListener {
    void onEpoch(TrainResult.EpochRecord record, int epochs);

    TrainListener NONE = (r, n) -> { };
}
