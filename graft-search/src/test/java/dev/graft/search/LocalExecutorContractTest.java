package dev.graft.search;

/** The in-process executor passes the executor contract. */
class LocalExecutorContractTest extends TrialExecutorContract {
    @Override
    protected TrialExecutor start() {
        return new LocalExecutor();
    }
}
