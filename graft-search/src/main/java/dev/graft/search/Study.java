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
    // by number; numbers are unique for the study's whole life, across resumes (never reused)
    private final java.util.TreeMap<Integer, Trial> trials = new java.util.TreeMap<>();
    private final List<StudyListener> listeners = new ArrayList<>();
    // trials that were running when the replayed journal ends, to be asked again first
    private final java.util.Deque<Trial> queued = new java.util.ArrayDeque<>();
    private final java.util.Deque<int[]> suggested = new java.util.ArrayDeque<>();
    private int nextNumber;

    public Study(SearchSpace space, Sampler sampler) {
        this.space = space;
        this.sampler = sampler;
    }

    /** Adds a listener (a journal, a progress printer); it hears every later change. */
    public synchronized void addListener(StudyListener l) {
        listeners.add(l);
    }

    /**
     * Rebuilds the study from a journal, event by event: each ask lets the sampler draw again (its
     * proposal is dropped; the journal's point stands), each tell is shown to it. So a seeded
     * sampler ends in the state it was in when the journal ends, and a resumed search goes on
     * where the first one stopped instead of proposing its first points again. Finished trials
     * keep their numbers and are frozen; the points of trials that were running are queued to be
     * asked again under new numbers. Call before adding the journal as a listener.
     *
     * @throws IllegalStateException if the study already has trials
     */
    public synchronized void replay(TrialJournal.Replay replay) {
        if (!trials.isEmpty()) {
            throw new IllegalStateException("replay needs an empty study");
        }
        for (Trial t : replay.events()) {
            nextNumber = Math.max(nextNumber, t.number() + 1);
        }
        // journals written before numbers were kept may ask again under a finished trial's number:
        // that ask gets a fresh number here, so the finished trial is kept
        java.util.Map<Integer, Integer> renumbered = new java.util.HashMap<>();
        for (Trial e : replay.events()) {
            if (!e.state().finished()) {
                Integer rerunOf = replay.reruns().get(e.number());
                if (rerunOf == null) {
                    sampler.sample(space, List.copyOf(trials.values())); // the draw this ask once took
                } else {
                    // asked again from the queue, without a draw; the interrupted trial is gone
                    int old = renumbered.getOrDefault(rerunOf, rerunOf);
                    if (trials.containsKey(old) && !trials.get(old).state().finished()) {
                        trials.remove(old);
                    }
                }
                Trial held = trials.get(e.number());
                int number = held != null && held.state().finished() ? nextNumber++ : e.number();
                renumbered.put(e.number(), number);
                trials.put(number, Trial.running(number, e.point()));
            } else {
                int number = renumbered.getOrDefault(e.number(), e.number());
                Trial done = new Trial(number, e.point(), e.state(), e.value(), e.intermediate(), e.message(),
                        e.objectives(), e.stderr());
                trials.put(number, done);
                sampler.observe(space, done);
            }
        }
        for (var it = trials.entrySet().iterator(); it.hasNext(); ) {
            Trial t = it.next().getValue();
            if (!t.state().finished()) {
                queued.add(t);
                it.remove();
            }
        }
    }

    public SearchSpace space() {
        return space;
    }

    /** A new running trial at the sampler's next point. */
    public synchronized Trial ask() {
        Trial again = queued.poll();
        int[] first = again == null ? suggested.poll() : null;
        int[] point = again != null ? again.point()
                : first != null ? first : sampler.sample(space, List.copyOf(trials.values()));
        if (!space.contains(point)) {
            throw new IllegalStateException("sampler proposed a point outside the space: "
                    + SearchSpace.key(point));
        }
        Trial t = Trial.running(nextNumber++, point);
        trials.put(t.number(), t);
        if (again != null) {
            listeners.forEach(l -> l.askedAgain(t, again.number()));
        } else {
            listeners.forEach(l -> l.asked(t));
        }
        return t;
    }

    /**
     * Queues a point to be asked before the sampler's own, as Optuna's {@code enqueue_trial} does
     * (a prior's best guesses); the sampler sees its value like any other trial's.
     *
     * @throws IllegalArgumentException if the point is outside the space
     */
    public synchronized void suggest(int[] point) {
        if (!space.contains(point)) {
            throw new IllegalArgumentException("point outside the space: " + SearchSpace.key(point));
        }
        suggested.add(point.clone());
    }

    /** A running trial at a given point (for replaying a journal or enqueuing a known policy). */
    public synchronized Trial enqueue(int[] point) {
        if (!space.contains(point)) {
            throw new IllegalArgumentException("point outside the space: " + SearchSpace.key(point));
        }
        Trial t = Trial.running(nextNumber++, point);
        trials.put(t.number(), t);
        listeners.forEach(l -> l.asked(t));
        return t;
    }

    /** Records an intermediate value (for example the validation metric after an epoch). */
    public synchronized Trial report(Trial trial, double value) {
        Trial current = current(trial);
        List<Double> values = new ArrayList<>(current.intermediate());
        values.add(value);
        Trial updated = new Trial(current.number(), current.point(), TrialState.RUNNING, Double.NaN, values, "");
        trials.put(current.number(), updated);
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
        return tell(trial, value, Double.NaN, objectives, state, message);
    }

    /**
     * Finishes a trial whose value is an estimate with standard error {@code stderr} (NaN when unknown).
     *
     * @throws IllegalStateException if it already finished
     */
    public synchronized Trial tell(Trial trial, double value, double stderr, double[] objectives, TrialState state,
            String message) {
        if (!state.finished()) {
            throw new IllegalArgumentException("tell needs a finished state, got " + state);
        }
        Trial current = current(trial);
        Trial done = new Trial(current.number(), current.point(), state,
                state == TrialState.FAILED ? Double.NaN : value, current.intermediate(), message == null ? "" : message,
                state == TrialState.FAILED ? new double[0] : objectives,
                state == TrialState.FAILED ? Double.NaN : stderr);
        trials.put(current.number(), done);
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
        if (current == null) {
            throw new IllegalArgumentException("trial " + trial.number() + " is not in this study");
        }
        if (current.state().finished()) {
            throw new IllegalStateException("trial " + trial.number() + " already finished as " + current.state());
        }
        return current;
    }

    /**
     * Whether the search has nothing left to propose: no interrupted point is queued and the
     * sampler has proposed every point of the space once (see {@link Sampler#exhausted}).
     */
    public synchronized boolean exhausted() {
        return queued.isEmpty() && suggested.isEmpty() && sampler.exhausted(space);
    }

    /** How many trials have finished. */
    public synchronized int finishedCount() {
        return (int) trials.values().stream().filter(t -> t.state().finished()).count();
    }

    /** Every trial so far, in order of their numbers (which may have gaps after a resume). */
    public synchronized List<Trial> trials() {
        return List.copyOf(trials.values());
    }

    /** The complete trial with the highest value. */
    public synchronized Optional<Trial> best() {
        return trials.values().stream().filter(Trial::hasValue).max(Comparator.comparingDouble(Trial::value));
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
