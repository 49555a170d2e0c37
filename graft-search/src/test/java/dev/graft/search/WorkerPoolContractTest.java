package dev.graft.search;

/** Two worker JVMs pass the executor contract. */
class WorkerPoolContractTest extends TrialExecutorContract {
    @Override
    protected TrialExecutor start() {
        return new WorkerPoolExecutor(2, 1);
    }
}
