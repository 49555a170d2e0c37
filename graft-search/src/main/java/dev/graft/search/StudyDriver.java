package dev.graft.search;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one ask → execute → tell loop of every policy search, {@code graft search} and a search
 * strategy of {@code graft compare} alike, on every executor (in-process, worker JVMs, Spark), so all
 * follow the same rules: a trial whose JVM is lost is retried ({@link TrialAttempts}); a policy already
 * evaluated (same canonical form) is answered from memory and costs no budget; a trial's
 * intermediate values reach the study and the pruner as it trains; no new trial starts once the
 * budget or the time limit is spent or the sampler has nothing new; with an executor of several
 * workers, as many loops run at once. When this JVM shuts down (SIGTERM, Ctrl-C) no new trial is
 * asked and no trial that did not complete is told: the running trials stay unfinished in the
 * journal, so {@code --resume} asks them again, and none is recorded FAILED because its executor
 * was torn down ({@link SearchStoppedException}).
 */
final class StudyDriver {
    private StudyDriver() {}

    /**
     * Runs trials until the budget of {@code trials} evaluations is spent, the sampler is
     * exhausted, or {@code timeoutSeconds} have passed since {@code start} (a trial running then
     * finishes). Trials already in the study (a resumed journal) count towards the budget and seed
     * the memory.
     *
     * @param pruner the pruner, or null for none
     * @param start {@link System#nanoTime()} when the search began
     * @return the budget's final counts
     * @throws SearchStoppedException if this JVM began to shut down while the search ran
     */
    static TrialBudget drive(Study study, PolicySpace policies, TrialExecutor executor, TrialRequest.Template requests,
            Pruner pruner, int trials,
            double timeoutSeconds, TraceRecorder trace, SearchRunner.Listener listener, long start) {
        return drive(study, policies, executor, requests, pruner, trials, timeoutSeconds, trace, listener, start,
                SearchStoppedException::shuttingDown);
    }

    /** As above, {@code stopping} saying whether the driver is stopping (tests stand in for a shutdown). */
    static TrialBudget drive(Study study, PolicySpace policies, TrialExecutor executor, TrialRequest.Template requests,
            Pruner pruner, int trials, double timeoutSeconds, TraceRecorder trace, SearchRunner.Listener listener,
            long start, java.util.function.BooleanSupplier stopping) {
        Map<String, Trial> memo = new ConcurrentHashMap<>();
        for (Trial t : study.trials()) {
            if (t.state() != TrialState.RUNNING) {
                trace.finished(t, policies.decode(t.point()).summary());
            }
            if (t.state() == TrialState.COMPLETE) {
                memo.put(policies.canonical(t.point()), t);
            }
        }
        TrialBudget budget = new TrialBudget(trials, study.trials());
        int startedWith = budget.evaluated();
        Runnable loop = () -> {
            while (true) {
                Trial t;
                synchronized (budget) {
                    if (stopping.getAsBoolean()) {
                        throw new SearchStoppedException();
                    }
                    if (budget.spent() || study.exhausted() || budget.evaluated() + budget.running() > 0
                            && (System.nanoTime() - start) / 1e9 >= timeoutSeconds) {
                        return;
                    }
                    budget.started();
                    t = study.ask();
                }
                trace.proposed(t);
                Trial done = null;
                try {
                    String canonical = policies.canonical(t.point());
                    Trial cached = memo.get(canonical);
                    if (cached != null) {
                        done = study.tell(t, cached.value(), cached.stderr(), cached.objectives(), TrialState.COMPLETE,
                                TrialBudget.CACHED);
                    } else {
                        done = evaluate(study, t, executor, requests, pruner, stopping);
                        if (done.state() == TrialState.COMPLETE) {
                            memo.put(canonical, done);
                        }
                    }
                } finally {
                    synchronized (budget) {
                        budget.ended(done);
                    }
                }
                trace.finished(done, policies.decode(done.point()).summary());
                int evaluated = budget.evaluated();
                double perTrial = (System.nanoTime() - start) / 1e9 / Math.max(1, evaluated - startedWith);
                synchronized (listener) {
                    listener.trialFinished(done, policies.decode(done.point()).summary(),
                            study.best().map(Trial::value).orElse(Double.NaN), evaluated, trials,
                            perTrial * Math.max(0, trials - evaluated));
                }
            }
        };
        runLoops(loop, executor.parallelism());
        return budget;
    }

    private static Trial evaluate(Study study, Trial t, TrialExecutor executor, TrialRequest.Template requests,
            Pruner pruner, java.util.function.BooleanSupplier stopping) {
        Trial[] current = {t};
        TrialExecutor.EpochCallback callback = pruner == null
                ? TrialExecutor.EpochCallback.recording((value, epoch) -> current[0] = study.report(current[0], value))
                : (epoch, value) -> {
                    current[0] = study.report(current[0], value);
                    return !pruner.shouldPrune(current[0], study.trials());
                };
        TrialResult r = TrialAttempts.execute(executor, requests.at(t.number(), t.point(), pruner != null), callback,
                stopping);
        if (r.state() != TrialState.COMPLETE && stopping.getAsBoolean()) {
            // failed or stopped as the JVM went down (a closed channel, an engine torn down): not the
            // trial's doing, so it stays unfinished and --resume runs it again
            throw new SearchStoppedException();
        }
        return study.tell(current[0], r.value(), r.stderr(), r.objectives(), r.state(), r.message());
    }

    private static void runLoops(Runnable loop, int n) {
        if (n == 1) {
            loop.run();
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(loop));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
