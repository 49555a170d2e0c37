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

    public Study(SearchSpace space, Sampler sampler) {
        this.space = space;
        this.sampler = sampler;
    }

    public SearchSpace space() {
        return space;
    }

    /** A new running trial at the sampler's next point. */
    public synchronized Trial ask() {
        int[] point = sampler.sample(space, List.copyOf(trials));
        if (!space.contains(point)) {
            throw new IllegalStateException("sampler proposed a point outside the space: "
                    + SearchSpace.key(point));
        }
        Trial t = Trial.running(trials.size(), point);
        trials.add(t);
        return t;
    }

    /** A running trial at a given point (for replaying a journal or enqueuing a known policy). */
    public synchronized Trial enqueue(int[] point) {
        if (!space.contains(point)) {
            throw new IllegalArgumentException("point outside the space: " + SearchSpace.key(point));
        }
        Trial t = Trial.running(trials.size(), point);
        trials.add(t);
        return t;
    }

    /** Records an intermediate value (for example the validation metric after an epoch). */
    public synchronized Trial report(Trial trial, double value) {
        Trial current = current(trial);
        List<Double> values = new ArrayList<>(current.intermediate());
        values.add(value);
        Trial updated = new Trial(current.number(), current.point(), TrialState.RUNNING, Double.NaN, values, "");
        trials.set(current.number(), updated);
        return updated;
    }

    /**
     * Finishes a trial.
     *
     * @throws IllegalStateException if it already finished
     */
    public synchronized Trial tell(Trial trial, double value, TrialState state, String message) {
        if (!state.finished()) {
            throw new IllegalArgumentException("tell needs a finished state, got " + state);
        }
        Trial current = current(trial);
        Trial done = new Trial(current.number(), current.point(), state,
                state == TrialState.FAILED ? Double.NaN : value, current.intermediate(), message == null ? "" : message);
        trials.set(current.number(), done);
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

    /** Every trial so far, in order. */
    public synchronized List<Trial> trials() {
        return List.copyOf(trials);
    }

    /** The complete trial with the highest value. */
    public synchronized Optional<Trial> best() {
        return trials.stream().filter(Trial::hasValue).max(Comparator.comparingDouble(Trial::value));
    }

    /**
     * Runs {@code n} trials one after another. An objective that throws fails its trial, and the
     * loop goes on.
     */
    public void optimize(int n, ToDoubleFunction<int[]> objective) {
        for (int i = 0; i < n; i++) {
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
