package dev.graft.search;

/** Where a trial stands. Only RUNNING trials may change; the others are final. */
public enum TrialState {
    RUNNING, COMPLETE, PRUNED, FAILED;

    public boolean finished() {
        return this != RUNNING;
    }
}
