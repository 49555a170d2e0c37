package dev.graft.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.train.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link TrialRequest} where the trial is to run: in the driver's JVM, a worker JVM or a
 * Spark executor. It prepares the request's experiment from its text once per JVM (keyed by digest,
 * shots and seed; the first trial of an executor pays for it, which {@link TrialResult#prepareSeconds}
 * shows) and fine-tunes the policy. The search settings that shape a trial (metric, objectives,
 * fitness, policy choices) come from the experiment's {@code search} section, so driver and
 * executor derive the same ones from the same text.
 *
 * <p>Thread-safe; trials run one at a time (DJL allows one active gradient collector per JVM).
 */
public final class TrialRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    // a few experiments at most: each holds its data set
    private static final int KEPT = 2;
    private final Map<String, PolicyObjective> prepared = new LinkedHashMap<>(4, 0.75f, true);

    /** A runner that prepares every experiment it is asked for. */
    public TrialRunner() {}

    /** A runner that already holds {@code objective} for the experiment, shots and seed of {@code template}. */
    public TrialRunner(TrialRequest.Template template, PolicyObjective objective) {
        prepared.put(key(template.experiment().sha256(), template.shots(), template.seed()), objective);
    }

    private static String key(String sha256, int shots, long seed) {
        return sha256 + "/" + shots + "/" + seed;
    }

    /**
     * Runs the trial. Any exception of the engine ends it {@link TrialState#FAILED} with the
     * exception's message; nothing is thrown.
     */
    public synchronized TrialResult run(TrialRequest r, TrialExecutor.EpochCallback callback) {
        // DJL turns autograd off only on the thread that started the engine; on any other thread (a
        // Spark task's, a pool's) the in-place initialisation of a parameter would fail as recorded
        ai.djl.engine.Engine.getEngine("PyTorch");
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        List<Double> intermediate = new ArrayList<>();
        long start = System.nanoTime();
        PolicyObjective objective;
        try {
            objective = objective(r);
        } catch (RuntimeException e) {
            return TrialResult.failed(r.id(), "cannot prepare " + r.experiment().path() + ": " + e.getMessage(),
                    intermediate);
        }
        double prepareSeconds = (System.nanoTime() - start) / 1e9;
        long trialStart = System.nanoTime();
        PolicyObjective.Scored s;
        try {
            s = objective.score(r.point(), new ExperimentRunner.Progress() {
                @Override
                public boolean stopRun(TrainResult.EpochRecord rec) {
                    if (Double.isNaN(rec.validation())) {
                        return false;
                    }
                    // larger is better for the study: minus RMSE for a regression
                    double value = objective.metric().oriented(rec.validation());
                    intermediate.add(value);
                    return !callback.onEpoch(rec.epoch(), value);
                }
            });
        } catch (RuntimeException e) {
            return TrialResult.failed(r.id(), String.valueOf(e.getMessage()), intermediate);
        }
        double trialSeconds = (System.nanoTime() - trialStart) / 1e9;
        RunRecord run = s.run();
        com.fasterxml.jackson.databind.JsonNode tree = JSON.valueToTree(run);
        if (run.status() == TrainResult.Status.PRUNED) {
            return new TrialResult(r.id(), TrialState.PRUNED, s.value(), run.message(), s.objectives(), s.stderr(),
                    intermediate, prepareSeconds, trialSeconds, tree);
        }
        if (Double.isNaN(s.value())) {
            return new TrialResult(r.id(), TrialState.FAILED, Double.NaN, run.message(), new double[0], Double.NaN,
                    intermediate, prepareSeconds, trialSeconds, tree);
        }
        return new TrialResult(r.id(), TrialState.COMPLETE, s.value(), "", s.objectives(), s.stderr(), intermediate,
                prepareSeconds, trialSeconds, tree);
    }

    private PolicyObjective objective(TrialRequest r) {
        TrialRequest.Experiment e = r.experiment();
        String key = key(e.sha256(), r.shots(), r.seed());
        PolicyObjective held = prepared.get(key);
        if (held != null) {
            return held;
        }
        if (!e.intact()) {
            throw new IllegalArgumentException("the experiment's text does not match its digest");
        }
        Path file = Path.of(e.path());
        ExperimentConfig c = ExperimentLoader.parse(e.path(), e.yaml());
        SearchSettings s = SearchSettings.of(c, e.path() + ": search");
        Prepared p = ExperimentRunner.prepare(c, file, ExperimentRunner.Progress.NONE);
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        // the request carries the experiment's text, and with it any top-level head and contrastive
        PolicyObjective objective = new PolicyObjective(p, space, r.shots(), r.seed(), s.metric(), s.newCache())
                .withObjectives(s.objectives()).withFitness(s.fitness()).withHead(SearchHead.ofExperiment(p, s));
        if (prepared.size() >= KEPT) {
            prepared.remove(prepared.keySet().iterator().next());
        }
        prepared.put(key, objective);
        return objective;
    }
}
