package dev.graft.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.AtomicFiles;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.provenance.Provenance;
import dev.graft.transfer.TransferReport;
import dev.graft.transfer.Transferor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a transfer-policy search: a study over the policy space, one fine-tune per trial (memoized
 * by canonical policy, so a repeated policy costs nothing, pruned on intermediate validation values when a pruner is set), every
 * event in an fsynced journal so that {@code --resume} loses only the running trial. Each trial's
 * value is an estimate with a standard error ({@link Fitness}). At the end, with one objective, a
 * {@link PolicyChoice} chooses among the distinct policies and the hand strategies by the
 * {@link Selection} rule, refits the choice on every labelled image and measures it on the test set
 * once; with several objectives the best trial's own fit is measured. Files go to {@code OUTPUT/search/}, beside
 * (not over) what {@code graft compare} writes.
 *
 * <p>The budget counts evaluations: a policy answered from the memo costs none, and the search
 * stops early when the sampler has proposed every point or only repeats itself. One run at a time
 * per folder: a run holds {@link RunLock} on {@code OUTPUT/search/} until its results are written,
 * and first removes the temporaries a killed run left there.
 *
 * <p>Thread-safe: independent runs may go on at once on different folders.
 */
public final class SearchRunner {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT);

    private SearchRunner() {}

    /** Hears about the search. */
    public interface Listener {
        /** A trial finished. */
        void trialFinished(Trial trial, String summary, double best, int finished, int total, double etaSeconds);

        /** A status line. */
        default void status(String line) {
        }
    }

    /**
     * The result.
     *
     * @param trials every trial
     * @param best the best trial
     * @param bestSummary its policy in one line
     * @param bestRun its run measured on the test set
     * @param report the transfer report of its plan
     * @param results the results.json written
     * @param journal the journal
     * @param front for a search with several objectives, the non-dominated trials (empty otherwise)
     * @param choice for a single-objective search, the final choice among its policies and the hand
     *     strategies, whose refit {@code bestRun} is (null with several objectives: the best trial)
     */
    public record Outcome(java.util.List<Trial> trials, Trial best, String bestSummary, RunRecord bestRun,
            TransferReport report, Path results, Path journal, List<Trial> front, PolicyChoice choice) {}

    /**
     * Makes the executor once the experiment and policy space are known: {@code requests} makes the
     * search's trial requests, {@code objective} is the experiment as this JVM prepared it.
     */
    @FunctionalInterface
    public interface ExecutorFactory {
        TrialExecutor create(TrialRequest.Template requests, PolicyObjective objective);

        /** Trials in this JVM, one at a time. */
        ExecutorFactory LOCAL = LocalExecutor::new;
    }

    /** Runs (or resumes) the search in this JVM, one trial at a time. */
    public static Outcome run(Prepared p, SearchSettings s, boolean resume, Listener listener) throws IOException {
        return run(p, s, resume, ExecutorFactory.LOCAL, listener);
    }

    /**
     * Runs (or resumes) the search with as many trials at once as the executor allows.
     *
     * @throws GraftInputException if a journal with trials exists and {@code resume} is false, if it
     *     does not match or is a symbolic link, or if another run holds the output folder
     */
    public static Outcome run(Prepared p, SearchSettings s, boolean resume, ExecutorFactory executors,
            Listener listener) throws IOException {
        requireSource(p, p.file() + ": search");
        PolicySpace policies = new PolicySpace(p.layout(), s.choices());
        Path folder = p.output().resolve("search");
        Path journalFile = folder.resolve("search.jsonl");
        Path results = folder.resolve("results.json");
        // one process per run folder: two runs would append to one journal and overwrite each other's results
        try (RunLock lock = RunLock.acquire(folder)) {
            // a run killed mid-write left its temporaries; under the lock none can be another run's
            for (String name : List.of("search.jsonl", "results.json", "report.html")) {
                AtomicFiles.removeStaleTemporaries(folder.resolve(name));
            }
            TrialJournal.Replay replay = Files.exists(journalFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? TrialJournal.read(journalFile) : null;
            if (replay != null && replay.hasTrials() && !resume) {
                throw new GraftInputException(journalFile + ": a journal exists; pass --resume to continue it, or remove it");
            }
            if (replay != null && !replay.hasTrials() && !resume) {
                // killed before its first trial (or at its first line): nothing to lose, start afresh
                Files.delete(journalFile);
                replay = null;
            }
            return search(p, s, policies, replay, journalFile, results, executors, listener);
        }
    }

    /**
     * Refuses a search of an experiment without source weights: every policy decides how they
     * transfer, so every trial would fail alike (before: each one did, and the search ended with
     * "no trial finished" and a journal to remove).
     *
     * @throws GraftInputException if {@code p} has no source
     */
    public static void requireSource(Prepared p, String where) {
        if (p.source().names().isEmpty()) {
            throw new GraftInputException(where + ": a policy search decides how the source's weights transfer, but "
                    + "the experiment has no source; add source: {checkpoint: FILE} or source: {pretrain: ...}");
        }
    }

    /** The search itself, under the run folder's lock; {@code replay} is the journal to resume, if any. */
    private static Outcome search(Prepared p, SearchSettings s, PolicySpace policies, TrialJournal.Replay replay,
            Path journalFile, Path results, ExecutorFactory executors, Listener listener) throws IOException {
        PolicyObjective objective = new PolicyObjective(p, policies, s.shots(), s.seed(), s.metric(), s.newCache())
                .withObjectives(s.objectives()).withFitness(s.fitness()).withHead(SearchHead.ofExperiment(p, s));
        Pruner pruner = s.newPruner();
        TrialRequest.Template requests = new TrialRequest.Template(Long.toHexString(System.nanoTime()),
                TrialRequest.Experiment.of(p.file()), s.shots(), s.seed());
        long start = System.nanoTime();
        Sampler sampler = s.newSampler();
        TraceRecorder trace = new TraceRecorder(sampler);
        try (Study study = new Study(policies.space(), sampler)) {
            if (replay != null && replay.hasTrials()) {
                TrialJournal.Replay r = replay;
                study.replay(r);
                listener.status("resumed " + r.finished().size() + " finished trials from " + journalFile
                        + (r.interrupted().isEmpty() ? "" : "; re-running " + r.interrupted().size()
                                + " interrupted"));
            }
            objective.estimator().requireFoldsFit();
            if (replay == null) {
                CutPrior.seed(study, p, policies, objective, s, listener::status);
            }
            TrialBudget budget;
            // the executor first: one that cannot start (an unreachable cluster) leaves the journal untouched
            try (TrialExecutor executor = executors.create(requests, objective);
                    TrialJournal journal = TrialJournal.open(journalFile, policies.space(), scoring(s, objective))) {
                study.addListener(journal);
                budget = StudyDriver.drive(study, policies, executor, requests, pruner, s.trials(), s.timeoutSeconds(), trace,
                        listener, start);
            }
            double searchSeconds = (System.nanoTime() - start) / 1e9;
            if (study.exhausted() || budget.onlyRepeats()) {
                listener.status("stopped after " + budget.evaluated() + " of " + s.trials() + " trials: "
                        + (study.exhausted() ? "the sampler has proposed every point"
                                : "its last " + budget.repeats() + " proposals were all policies already evaluated"));
            } else if (budget.evaluated() < s.trials()) {
                listener.status("stopped after " + study.finishedCount() + " of " + s.trials()
                        + " trials: the time limit (" + String.format(java.util.Locale.ROOT, "%.0f", s.timeoutSeconds())
                        + " s) is spent");
            }
            Trial best = study.best().orElseThrow(() -> new GraftInputException(p.file()
                    + ": no trial finished with a value; see " + journalFile));
            PolicyChoice choice = null;
            RunRecord bestRun;
            Strategies.Resolved strategy;
            if (s.objectives().multiple()) {
                listener.status("measuring the best policy (trial " + best.number() + ") on the test set");
                bestRun = objective.runWithTest(best.point());
                strategy = objective.strategy(best.point());
            } else {
                choice = PolicyChoice.choose(p, policies, objective, study.trials(), s.selection(), s.seed(),
                        listener::status);
                strategy = choice.strategy();
                listener.status("chose " + choice.summary() + " (" + s.selection().rule().name().toLowerCase(
                        java.util.Locale.ROOT) + "); refitting it on every labelled image and measuring it on the test set");
                bestRun = choice.refit(p, objective, s.seed());
            }
            TransferReport report = Transferor.apply(p.source(), p.layout(),
                    dev.graft.experiment.ExperimentRunner.planFor(p, p.layout(), strategy.plan()), false).report();
            write(results, p, s, study, best, policies, bestRun, report,
                    trace.trace(s.sampler(), s.valueName()), searchSeconds, choice, objective);
            return new Outcome(study.trials(), best, policies.decode(best.point()).summary(), bestRun, report, results,
                    journalFile, s.objectives().multiple()
                    ? s.objectives().front(study.trials(), t -> policies.canonical(t.point())) : List.of(), choice);
        }
    }

    /**
     * What a trial's value means, for the journal: the settings' words, and the classical head the
     * value is measured with when there is one (a resume with another head would mix values).
     */
    static String scoring(SearchSettings s, PolicyObjective objective) {
        return s.scoring() + (objective.head() == null ? "" : "; classical head " + objective.head().describe()
                + " over [" + objective.head().gridText() + "]");
    }

    private static ObjectNode objectiveMap(Objectives objectives, Trial t) {
        ObjectNode m = JSON.createObjectNode();
        for (int i = 0; i < objectives.list().size(); i++) {
            m.put(objectives.list().get(i).keyword(), t.objectives()[i]);
        }
        return m;
    }

    private static void write(Path file, Prepared p, SearchSettings s, Study study, Trial best, PolicySpace policies,
            RunRecord bestRun, TransferReport report, dev.graft.experiment.SearchTrace trace, double searchSeconds,
            PolicyChoice choice, PolicyObjective objective) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", p.config().name());
        root.put("sampler", s.sampler());
        // the trials' values: "-rmse" for a regression, whose search maximizes minus RMSE
        root.put("metric", s.valueName().equals("-energy") ? s.metric().keyword() : s.valueName());
        root.put("shots", s.shots());
        if (objective.head() != null) {
            // every trial's value, and the chosen policy's test metrics, are this head's
            root.put("classical_head", objective.head().describe());
        }
        // the trials' wall time in this process, without start-up and the final test measurement
        root.put("search_seconds", Math.round(searchSeconds * 10) / 10.0);
        root.set("provenance", JSON.valueToTree(Provenance.now(p.sourceLabel(), p.sourceSha256())));
        root.set("class_names", JSON.valueToTree(p.data().classNames()));
        // this process's frozen-prefix cache: one lookup per trial that ran only its suffix (worker
        // JVMs keep their own, not counted here)
        ObjectNode pc = root.putObject("prefix_cache");
        PrefixFeatureCache cache = objective.cache();
        pc.put("on", cache != null);
        pc.put("hits", cache == null ? 0 : cache.hits());
        pc.put("misses", cache == null ? 0 : cache.misses());
        Fitness fitness = objective.estimator().fitness();
        ObjectNode f = root.putObject("fitness");
        f.put("method", fitness.method().name().toLowerCase(java.util.Locale.ROOT));
        f.put("folds", fitness.folds());
        f.put("repeats", fitness.repeats());
        f.put("description", fitness.describe());
        int searchFineTunes = (int) study.trials().stream().filter(t -> !TrialBudget.CACHED.equals(t.message())
                && t.state() != TrialState.RUNNING).count() * fitness.fineTunes();
        // "best": the policy measured on the test set (the chosen one, or the best trial with several objectives)
        ObjectNode b = root.putObject("best");
        if (choice == null) {
            b.put("trial", best.number());
            b.put("policy", policies.decode(best.point()).summary());
            b.set("genes", JSON.valueToTree(policies.space().decode(best.point())));
            b.put("validation", best.value());
            b.put("refit", "none: the search's own fit, trained on the shots");
            root.put("fine_tunes", searchFineTunes + 1);
        } else {
            Selection.Candidate c = choice.candidate();
            b.put("policy", c.label());
            b.put("hand_strategy", c.hand());
            // the chosen one's estimate: what results readers show as its validation value
            b.put("validation", c.estimate().mean());
            b.put("stderr", c.estimate().stderr());
            b.put("rank_among_hand", choice.rankAmongHand());
            b.put("hand_strategies", choice.handCount());
            b.put("refit", "all " + objective.estimator().labelled().size()
                    + " labelled images (shots and validation), no early stopping, then one test measurement");
            ObjectNode sel = root.putObject("selection");
            sel.put("rule", s.selection().rule().name().toLowerCase(java.util.Locale.ROOT));
            sel.put("best_trial", best.number());
            sel.put("best_trial_policy", policies.decode(best.point()).summary());
            double[] shrunk = Selection.shrunk(choice.candidates().stream().map(Selection.Candidate::estimate)
                    .toList());
            ArrayNode cands = sel.putArray("candidates");
            for (int i = 0; i < choice.candidates().size(); i++) {
                Selection.Candidate x = choice.candidates().get(i);
                cands.addObject().put("policy", x.label()).put("hand_strategy", x.hand())
                        .put("estimate", x.estimate().mean()).put("stderr", x.estimate().stderr())
                        .put("shrunk", shrunk[i]).put("trainable_parameters", x.complexity())
                        .put("chosen", i == choice.chosen());
            }
            root.put("fine_tunes", searchFineTunes + choice.handFineTunes() + 1);
        }
        b.set("test", JSON.valueToTree(bestRun.test()));
        b.set("transfer_report", report.toTree());
        b.set("transfer", JSON.valueToTree(bestRun.transfer()));
        b.set("history", JSON.valueToTree(bestRun.history()));
        ArrayNode trials = root.putArray("trials");
        for (Trial t : study.trials()) {
            ObjectNode n = trials.addObject();
            n.put("trial", t.number());
            n.put("policy", policies.decode(t.point()).summary());
            n.put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
            if (!Double.isNaN(t.value())) {
                n.put("value", t.value());
            }
            if (!Double.isNaN(t.stderr())) {
                n.put("stderr", t.stderr());
            }
            n.set("intermediate", JSON.valueToTree(t.intermediate()));
            if (t.objectives().length > 0) {
                n.set("objectives", objectiveMap(s.objectives(), t));
            }
            n.put("message", t.message());
        }
        root.set("trace", JSON.valueToTree(trace));
        if (s.objectives().multiple()) {
            root.set("objectives", JSON.valueToTree(s.objectives().names()));
            root.set("weights", JSON.valueToTree(s.objectives().list().stream().collect(java.util.stream.Collectors
                    .toMap(Objectives.Objective::keyword, o -> s.objectives().weights().get(o),
                            (x, y) -> x, java.util.LinkedHashMap::new))));
            ArrayNode pareto = root.putArray("pareto");
            for (Trial t : s.objectives().front(study.trials(), x -> policies.canonical(x.point()))) {
                ObjectNode n = pareto.addObject();
                n.put("trial", t.number());
                n.put("policy", policies.decode(t.point()).summary());
                n.set("objectives", objectiveMap(s.objectives(), t));
            }
        }
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }
}
