package dev.graft.search;

/** The in-process executor passes the executor contract. */
class LocalExecutorContractTest extends TrialExecutorContract {
    @Override
    protected TrialExecutor start() {
        return new LocalExecutor();
    }

    /** Runs 1 trials at once: one trial at a time: one GradientCollector per JVM. */
    @org.junit.jupiter.api.Test
    void runsAsManyTrialsAtOnceAsItHasSlots() {
        org.junit.jupiter.api.Assertions.assertEquals(1, executor().parallelism());
    }
}
