package dev.graft.search;

/**
 * Evaluates trials: in this JVM ({@link LocalExecutor}), in worker JVMs ({@link WorkerPoolExecutor}),
 * or on a cluster (module graft-spark). Every executor takes a {@link TrialRequest} and returns a
 * {@link TrialResult}; up to {@link #parallelism()} calls of {@link #execute} may run at once from
 * different threads. Retrying is not the executor's business: when the machine running a trial is
 * lost it throws {@link TrialLostException} and the study driver decides ({@link TrialAttempts}).
 */
public interface TrialExecutor extends AutoCloseable {

    /** Hears each epoch's validation value; returns false to stop the trial (pruning). */
    @FunctionalInterface
    interface EpochCallback {
        boolean onEpoch(int epoch, double validation);

        /** A callback that records epochs and never stops a trial. */
        static EpochCallback recording(java.util.function.ObjIntConsumer<Double> record) {
            return (epoch, validation) -> {
                record.accept(validation, epoch);
                return true;
            };
        }
    }

    /**
     * Runs the trial and returns how it ended. {@code callback} hears every epoch's value at least
     * once and in order (a retried attempt may repeat the first ones; the driver keeps one of each);
     * when {@link TrialRequest#waitForDecisions()} holds, it hears each before the next epoch starts
     * and its false stops the trial, which then ends {@link TrialState#PRUNED}. Blocking. A trial
     * that throws ends {@link TrialState#FAILED}; it is not retried.
     *
     * @throws TrialLostException if the JVM or machine running the trial died, so the trial may be
     *     tried again
     */
    TrialResult execute(TrialRequest request, EpochCallback callback);

    /** How many trials may run at once. */
    int parallelism();

    @Override
    void close();
}
