package dev.graft.strategy;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.engine.Engines;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.experiment.TrainSettings;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.train.Evaluator;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainConfig;
import dev.graft.train.TrainResult;
import dev.graft.transfer.TransferException;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Knowledge distillation as a strategy of {@code graft compare} ({@code base: distill}): per shot
 * count and seed, the teacher is loaded (or fine-tuned from the source on the same shots), then a
 * fresh student learns from the labels and the teacher's softened predictions, on the labelled
 * images and, unless turned off, on the rest of the pool without its labels. With
 * {@code then_finetune} the student first learns from the teacher alone, then from the labels.
 * The student's time includes making the teacher, since that is what the strategy costs; strategies
 * of one comparison sharing a teacher make it once, and the first of them pays for it.
 */
public final class DistillStrategy implements ComparedStrategy {
    private final String name;
    private final ExperimentConfig.DistillSection section;
    private final ModelLayout student;
    private final ModelLayout teacherLayout;
    private final Path teacherCheckpoint;
    private final Strategies.Resolved teacherStrategy;
    private final TrainConfig train;

    private DistillStrategy(String name, ExperimentConfig.DistillSection section, ModelLayout student,
            ModelLayout teacherLayout, Path teacherCheckpoint, Strategies.Resolved teacherStrategy, TrainConfig train) {
        this.name = name;
        this.section = section;
        this.student = student;
        this.teacherLayout = teacherLayout;
        this.teacherCheckpoint = teacherCheckpoint;
        this.teacherStrategy = teacherStrategy;
        this.train = train;
    }

    /**
     * The distillation strategy a spec names, if its base is {@code distill}.
     *
     * @throws GraftInputException if its section is missing or invalid
     */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if (!"distill".equals(spec.base()) && !"distill".equals(spec.name())) {
            return Optional.empty();
        }
        ExperimentConfig.DistillSection d = spec.distill() == null
                ? new ExperimentConfig.DistillSection(null, null, null, null, null, null, null) : spec.distill();
        ExperimentConfig.TeacherSection t = d.teacher() == null
                ? new ExperimentConfig.TeacherSection(null, null, null) : d.teacher();
        ModelLayout student = d.student() == null ? p.layout()
                : ModelLayout.of(SpecParser.read(p.dir().resolve(d.student())));
        ModelLayout teacher = t.model() == null ? p.layout() : ModelLayout.of(SpecParser.read(p.dir().resolve(t.model())));
        if (student.output().get(0) != p.data().pool().classes() || teacher.output().get(0) != p.data().pool().classes()) {
            throw new GraftInputException(where + ".distill: the teacher and the student must have one output per "
                    + "target class (" + p.data().pool().classes() + ")");
        }
        Path checkpoint = t.checkpoint() == null ? null : p.dir().resolve(t.checkpoint());
        Strategies.Resolved teacherStrategy = null;
        if (checkpoint == null) {
            teacherStrategy = Strategies.resolve(ExperimentConfig.StrategySpec.named(
                    t.strategy() == null ? "full" : t.strategy()), teacher, p.train(), p.dir(), 0,
                    where + ".distill.teacher");
            dev.graft.experiment.HeadBases.requireOwnHead(teacherStrategy, where + ".distill.teacher.strategy",
                    "a teacher's logits are what the student learns (use a fine-tuning strategy, such as full)");
        }
        double alpha = d.alpha() == null ? 0.5 : d.alpha();
        double temperature = d.temperature() == null ? 2 : d.temperature();
        if (!(alpha >= 0 && alpha <= 1) || !(temperature > 0)) {
            throw new GraftInputException(where + ".distill: alpha must be in [0, 1] and temperature positive");
        }
        TrainConfig train = TrainSettings.apply(p.train(), spec.train(), where + ".train");
        return Optional.of(new DistillStrategy(spec.name() == null ? "distill" : spec.name(), d, student, teacher,
                checkpoint, teacherStrategy, train));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        long start = System.nanoTime();
        ExperimentRunner.Splits splits = ExperimentRunner.splits(p, shots, seed);
        boolean then = Boolean.TRUE.equals(section.thenFinetune());
        double alpha = then ? 1 : section.alpha() == null ? 0.5 : section.alpha();
        // α = 0: the student on the labels alone, the baseline distillation is measured against
        Map<String, Tensor> teacherState = alpha > 0 ? teacher(p, shots, seed) : null;
        double temperature = section.temperature() == null ? 2 : section.temperature();
        boolean useUnlabelled = section.unlabelled() == null || section.unlabelled();
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(student, m)) {
            TransferResult fresh = Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), student,
                    new TransferPlan(List.of(), false, seed), true);
            model.load(fresh.tensors());
            FineTuner.Policy policy = FineTuner.Policy.allTrainable();
            List<dev.graft.train.LossTerm> terms = alpha == 0 ? List.of() : List.of(new Distillation(teacherLayout,
                    teacherState, temperature, alpha, Boolean.TRUE.equals(section.hard()),
                    useUnlabelled ? splits.unlabelled() : null, train.batchSize(), seed));
            List<TrainResult.EpochRecord> history = new ArrayList<>();
            TrainResult r = FineTuner.fit(model, policy, splits.train(), splits.validation(), train, seed,
                    progress.asTrainListener(), terms);
            history.addAll(r.history());
            if (then && r.status() != TrainResult.Status.DIVERGED) {
                r = FineTuner.fit(model, policy, splits.train(), splits.validation(), train, seed + 1,
                        progress.asTrainListener(), List.of());
                history.addAll(r.history());
            }
            ClassificationMetrics test = r.status() == TrainResult.Status.DIVERGED || p.data().test() == null ? null
                    : dev.graft.experiment.RobustnessSettings.measure(p, model, p.data().test(),
                            Evaluator.evaluate(model, p.data().test(), 256));
            dev.graft.experiment.Deployment deployment = test == null ? null
                    : dev.graft.experiment.Deployment.measure(p, model, p.data().test());
            double seconds = (System.nanoTime() - start) / 1e9;
            return new RunRecord(name, shots, seed, r.status(), (then ? "distilled, then fine-tuned: "
                    : alpha == 0 ? "the student alone: " : "distilled: ") + r.message(), test, history.size(),
                    r.bestEpoch(), seconds, seconds, history, LayerDecision.of(student, fresh, train), null, null, null,
                    deployment);
        }
    }

    /** The teacher's weights: its checkpoint, or the teacher strategy fine-tuned on these shots. */
    private Map<String, Tensor> teacher(Prepared p, int shots, long seed) {
        if (teacherCheckpoint != null) {
            try (WeightStore w = Checkpoints.open(teacherCheckpoint)) {
                return Transferor.apply(w, teacherLayout, TransferPlan.automatic(), false).tensors();
            } catch (TransferException e) {
                throw new GraftInputException(teacherCheckpoint + ": does not fit the teacher's model: " + e.getMessage());
            }
        }
        // strategies of one comparison that share a teacher share its fine-tune per shot count and seed
        String key = teacherStrategy.name() + "|" + teacherLayout.spec().name() + "|" + shots + "|" + seed;
        synchronized (TEACHERS) {
            Map<String, Map<String, Tensor>> made = TEACHERS.computeIfAbsent(p, k -> new java.util.HashMap<>());
            Map<String, Tensor> cached = made.get(key);
            if (cached == null) {
                cached = fineTunedTeacher(p, shots, seed);
                made.put(key, cached);
            }
            return cached;
        }
    }

    /** Fine-tuned teachers by experiment; weak, so that a finished comparison's teachers go. */
    private static final Map<Prepared, Map<String, Map<String, Tensor>>> TEACHERS = new java.util.WeakHashMap<>();

    private Map<String, Tensor> fineTunedTeacher(Prepared p, int shots, long seed) {
        Strategies.Resolved seeded = teacherStrategy.seeded(seed);
        // the teacher's own network, fine-tuned from the experiment's source on the same shots
        Prepared withTeacher = new Prepared(p.config(), p.file(), teacherLayout, p.data(), p.source(), p.sourceLabel(),
                p.sourceSha256(), p.train(), p.output(), p.sourceTask());
        java.util.concurrent.atomic.AtomicReference<Map<String, Tensor>> state = new java.util.concurrent.atomic.AtomicReference<>();
        ExperimentRunner.run(withTeacher, seeded, shots, seed, ExperimentRunner.Progress.NONE,
                m -> state.set(m.stateDict()), false);
        return state.get();
    }
}
