package dev.graft.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Ask and tell, as in Optuna: {@link #ask} hands out a running trial, {@link #tell} records its
 * result and freezes it. {@link #optimize} is a loop over the two. The objective is maximized.
 *
 * <p>Thread-safe: several workers may ask and tell at once.
 */
public final class Study implements AutoCloseable {
    private final SearchSpace space;
    private final Sampler sampler;
    private final List<Trial> trials = new ArrayList<>();
    private final List<StudyListener> listeners = new ArrayList<>();
    private final java.util.Deque<int[]> queued = new java.util.ArrayDeque<>();

    public Study(SearchSpace space, Sampler sampler) {
        this.space = space;
        this.sampler = sampler;
    }

    /** Adds a listener (a journal, a progress printer); it hears every later change. */
    public synchronized void addListener(StudyListener l) {
        listeners.add(l);
    }

    /**
     * Rebuilds the study from a journal: finished trials are restored, frozen, and shown to the
     * sampler in order; the points of trials that were running are queued to be asked again.
     * Call before adding the journal as a listener.
     */
    public synchronized void replay(TrialJournal.Replay replay) {
        if (!trials.isEmpty()) {
            throw new IllegalStateException("replay needs an empty study");
        }
        for (Trial t : replay.finished()) {
            Trial renumbered = new Trial(trials.size(), t.point(), t.state(), t.value(), t.intermediate(), t.message(),
                    t.objectives());
            trials.add(renumbered);
            sampler.observe(space, renumbered);
        }
        queued.addAll(replay.interrupted());
    }

    public SearchSpace space() {
        return space;
    }

    /** A new running trial at the sampler's next point. */
    public synchronized Trial ask() {
        int[] point = queued.isEmpty() ? sampler.sample(space, List.copyOf(trials)) : queued.poll();
        if (!space.contains(point)) {
            throw new IllegalStateException("sampler proposed a point outside the space: "
                    + SearchSpace.key(point));
        }
        Trial t = Trial.running(trials.size(), point);
        trials.add(t);
        listeners.forEach(l -> l.asked(t));
        return t;
    }

    /** A running trial at a given point (for replaying a journal or enqueuing a known policy). */
    public synchronized Trial enqueue(int[] point) {
        if (!space.contains(point)) {
            throw new IllegalArgumentException("point outside the space: " + SearchSpace.key(point));
        }
        Trial t = Trial.running(trials.size(), point);
        trials.add(t);
        listeners.forEach(l -> l.asked(t));
        return t;
    }

    /** Records an intermediate value (for example the validation metric after an epoch). */
    public synchronized Trial report(Trial trial, double value) {
        Trial current = current(trial);
        List<Double> values = new ArrayList<>(current.intermediate());
        values.add(value);
        Trial updated = new Trial(current.number(), current.point(), TrialState.RUNNING, Double.NaN, values, "");
        trials.set(current.number(), updated);
        listeners.forEach(l -> l.reported(updated, value));
        return updated;
    }

    /**
     * Finishes a trial.
     *
     * @throws IllegalStateException if it already finished
     */
    public synchronized Trial tell(Trial trial, double value, TrialState state, String message) {
        return tell(trial, value, new double[0], state, message);
    }

    /**
     * Finishes a trial of a search with several objectives: {@code value} is what the sampler
     * maximizes (a weighted energy), {@code objectives} each objective's value.
     *
     * @throws IllegalStateException if it already finished
     */
    public synchronized Trial tell(Trial trial, double value, double[] objectives, TrialState state, String message) {
        if (!state.finished()) {
            throw new IllegalArgumentException("tell needs a finished state, got " + state);
        }
        Trial current = current(trial);
        Trial done = new Trial(current.number(), current.point(), state,
                state == TrialState.FAILED ? Double.NaN : value, current.intermediate(), message == null ? "" : message,
                state == TrialState.FAILED ? new double[0] : objectives);
        trials.set(current.number(), done);
        listeners.forEach(l -> l.told(done));
        sampler.observe(space, done);
        return done;
    }

    /** Finishes a trial as complete with {@code value}. */
    public Trial tell(Trial trial, double value) {
        return tell(trial, value, TrialState.COMPLETE, "");
    }

    private Trial current(Trial trial) {
        Trial current = trials.get(trial.number());
        if (current.state().finished()) {
            throw new IllegalStateException("trial " + trial.number() + " already finished as " + current.state());
        }
        return current;
    }

    /** How many trials have finished. */
    public synchronized int finishedCount() {
        return (int) trials.stream().filter(t -> t.state().finished()).count();
    }

    /** Every trial so far, in order. */
    public synchronized List<Trial> trials() {
        return List.copyOf(trials);
    }

    /** The complete trial with the highest value. */
    public synchronized Optional<Trial> best() {
        return trials.stream().filter(Trial::hasValue).max(Comparator.comparingDouble(Trial::value));
    }

    /**
     * Runs trials one after another until {@code n} have finished (counting those replayed from
     * a journal). An objective that throws fails its trial, and the loop goes on.
     */
    public void optimize(int n, ToDoubleFunction<int[]> objective) {
        while (finishedCount() < n) {
            Trial t = ask();
            double v;
            try {
                v = objective.applyAsDouble(t.point());
            } catch (RuntimeException e) {
                tell(t, Double.NaN, TrialState.FAILED, String.valueOf(e.getMessage()));
                continue;
            }
            if (Double.isNaN(v)) {
                tell(t, v, TrialState.FAILED, "objective returned NaN");
            } else {
                tell(t, v);
            }
        }
    }

    @Override
    public void close() {
        sampler.close();
    }
}
