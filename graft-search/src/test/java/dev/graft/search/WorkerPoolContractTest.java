package dev.graft.search;

/** Two worker JVMs pass the executor contract. */
class WorkerPoolContractTest extends TrialExecutorContract {
    @Override
    protected TrialExecutor start() {
        return new WorkerPoolExecutor(2, 1);
    }

    /** Runs 2 trials at once: one trial per worker JVM. */
    @org.junit.jupiter.api.Test
    void runsAsManyTrialsAtOnceAsItHasSlots() {
        org.junit.jupiter.api.Assertions.assertEquals(2, executor().parallelism());
    }
}
