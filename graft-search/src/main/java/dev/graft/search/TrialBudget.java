package dev.graft.search;

import java.util.List;

/**
 * How much of a search's budget is spent. Only evaluations count: a trial answered from the memo
 * (a policy already evaluated, told with the message {@value #CACHED}) costs nothing, so a resumed
 * or repetitive search still evaluates as many policies as asked. Since a sampler on a small
 * space may then propose only known policies, the search also stops after {@link #repeats()}
 * such proposals in a row.
 *
 * <p>Not thread-safe: callers hold its monitor.
 */
final class TrialBudget {
    /** The message of a trial answered from the memo. */
    static final String CACHED = "cached";

    private final int trials;
    private final int repeatLimit;
    private int evaluated;
    private int running;
    private int repeats;

    /** A budget of {@code trials} evaluations, some of them spent by {@code history} (a replayed journal). */
    TrialBudget(int trials, List<Trial> history) {
        this.trials = trials;
        // cheap (a journal line each), but a search that only repeats itself must end
        this.repeatLimit = Math.max(100, trials);
        for (Trial t : history) {
            if (t.state().finished() && !CACHED.equals(t.message())) {
                evaluated++;
            }
        }
    }

    /** Whether no more trial may start: evaluations done or running fill the budget, or only repeats come. */
    boolean spent() {
        return evaluated + running >= trials || onlyRepeats();
    }

    /** Whether the last proposals were all policies already evaluated, as many as the limit. */
    boolean onlyRepeats() {
        return repeats >= repeatLimit;
    }

    /** A trial started. */
    void started() {
        running++;
    }

    /** A trial ended ({@code null}: it threw before it was told). */
    void ended(Trial done) {
        running--;
        if (done != null && CACHED.equals(done.message())) {
            repeats++;
        } else {
            evaluated++;
            repeats = 0;
        }
    }

    int evaluated() {
        return evaluated;
    }

    int running() {
        return running;
    }

    int repeats() {
        return repeats;
    }
}
