package dev.graft.search;

/**
 * The study driver's retry rule, the same for every executor: a trial whose JVM or machine is lost
 * ({@link TrialLostException}) is tried again from the start, up to {@value #ATTEMPTS} attempts in
 * all, after which only that trial fails, with a one-line message. A trial that fails on its own
 * (an exception of the engine) is not retried: it would fail again. Epoch values an attempt repeats
 * (a retry trains the same epochs again) reach the callback once, so a study's intermediate values
 * are those of one attempt and the pruner is asked once per epoch. A trial lost while this JVM shuts
 * down is not tried again ({@link SearchStoppedException}): its executor is being torn down with it.
 */
public final class TrialAttempts {
    /** Attempts per trial: a start that fails and a death mid-trial both count. */
    public static final int ATTEMPTS = 3;

    private TrialAttempts() {}

    /**
     * Runs {@code request} on {@code executor} until it ends or {@value #ATTEMPTS} attempts are lost.
     *
     * @throws SearchStoppedException if an attempt is lost while this JVM shuts down
     */
    public static TrialResult execute(TrialExecutor executor, TrialRequest request,
            TrialExecutor.EpochCallback callback) {
        return execute(executor, request, callback, SearchStoppedException::shuttingDown);
    }

    /** As {@link #execute(TrialExecutor, TrialRequest, TrialExecutor.EpochCallback)}, {@code stopping} saying whether the driver stops. */
    static TrialResult execute(TrialExecutor executor, TrialRequest request, TrialExecutor.EpochCallback callback,
            java.util.function.BooleanSupplier stopping) {
        int[] heard = {0};
        String why = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int[] seen = {0};
            TrialExecutor.EpochCallback once = (epoch, value) -> {
                // the k-th value of this attempt; the first `heard` were told in an earlier attempt
                // (training is seeded, so a retry repeats them) and were answered "go on" then
                if (++seen[0] <= heard[0]) {
                    return true;
                }
                heard[0]++;
                return callback.onEpoch(epoch, value);
            };
            try {
                return executor.execute(request, once);
            } catch (TrialLostException e) {
                if (stopping.getAsBoolean()) {
                    // lost because the driver is going away (Spark's own shutdown hook stops its
                    // context): no retry, and no FAILED in the journal
                    throw new SearchStoppedException();
                }
                why = e.getMessage();
            }
        }
        return TrialResult.failed(request.id(), why + "; gave up after " + ATTEMPTS + " attempts", java.util.List.of());
    }
}
