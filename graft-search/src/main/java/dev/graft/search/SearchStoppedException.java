package dev.graft.search;

/**
 * The search's JVM is shutting down (SIGTERM, Ctrl-C, {@code System.exit}) while trials run. The
 * study driver then tells no trial that did not complete (a trial lost or failed as its executor
 * was torn down did nothing wrong) and asks for no new one: those trials stay unfinished in the
 * journal, and {@code graft search --resume} runs them again.
 */
public final class SearchStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SearchStoppedException() {
        super("the search was stopped; the trials that were running run again with --resume");
    }

    /**
     * Whether this JVM has begun to shut down: the JVM refuses new shutdown hooks from then on, so
     * the refusal is the signal (no hook of ours needs to run first, and none delays the exit).
     */
    public static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
