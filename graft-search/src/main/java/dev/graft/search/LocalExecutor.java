package dev.graft.search;

/**
 * Evaluates trials in this JVM, one at a time (DJL allows one active gradient collector per JVM),
 * on the experiment the driver prepared already.
 */
public final class LocalExecutor implements TrialExecutor {
    private final TrialRunner runner;

    /** An executor holding {@code objective}, prepared for {@code template}'s experiment, shots and seed. */
    public LocalExecutor(TrialRequest.Template template, PolicyObjective objective) {
        this.runner = new TrialRunner(template, objective);
    }

    /** An executor that prepares each request's experiment itself (once per experiment). */
    public LocalExecutor() {
        this.runner = new TrialRunner();
    }

    @Override
    public TrialResult execute(TrialRequest request, EpochCallback callback) {
        return runner.run(request, callback);
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public void close() {
        // nothing held
    }
}
