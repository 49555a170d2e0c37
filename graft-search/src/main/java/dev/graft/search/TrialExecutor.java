package dev.graft.search;

/**
 * Evaluates trials: in this JVM, in worker JVMs, or (later) on a cluster. Up to
 * {@link #parallelism()} calls of {@link #evaluate} may run at once from different threads.
 */
public interface TrialExecutor extends AutoCloseable {

    /** Hears each epoch's validation value; returns false to stop the trial (pruning). */
    @FunctionalInterface
    interface EpochCallback {
        boolean onEpoch(int epoch, double validation);

        /**
         * Whether {@link #onEpoch} may ever answer false. When it cannot (no pruner), an executor
         * need not wait for the answer: a worker JVM then trains on while its epochs are recorded.
         */
        default boolean mayStop() {
            return true;
        }

        /** A callback that records epochs and never stops a trial. */
        static EpochCallback recording(java.util.function.ObjIntConsumer<Double> record) {
            return new EpochCallback() {
                @Override
                public boolean onEpoch(int epoch, double validation) {
                    record.accept(validation, epoch);
                    return true;
                }

                @Override
                public boolean mayStop() {
                    return false;
                }
            };
        }
    }

    /**
     * How an evaluation ended.
     *
     * @param value the validation value (NaN if none)
     * @param state complete, pruned or failed
     * @param message why it was pruned or failed
     * @param objectives each objective's value, for a search with several (empty otherwise)
     * @param stderr the standard error of {@code value} (NaN when unknown)
     */
    record Evaluation(double value, TrialState state, String message, double[] objectives, double stderr) {
        public Evaluation(double value, TrialState state, String message) {
            this(value, state, message, new double[0], Double.NaN);
        }

        public Evaluation(double value, TrialState state, String message, double[] objectives) {
            this(value, state, message, objectives, Double.NaN);
        }
    }

    /** Fine-tunes the policy at {@code point} and returns its validation value. Blocking. */
    Evaluation evaluate(int[] point, EpochCallback callback);

    /** How many evaluations may run at once. */
    int parallelism();

    @Override
    void close();
}
