package dev.graft.search;

/**
 * The JVM or machine running a trial died before the trial ended (a worker JVM exited, a Spark
 * executor was lost): the trial itself did nothing wrong and may be tried again.
 */
public final class TrialLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrialLostException(String message) {
        super(message);
    }
}
