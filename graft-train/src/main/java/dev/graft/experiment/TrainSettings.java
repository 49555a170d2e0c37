package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig.AdversarialSection;
import dev.graft.experiment.ExperimentConfig.TrainSection;
import dev.graft.metrics.MetricName;
import dev.graft.robust.Attack;
import dev.graft.train.AdversarialTraining;
import dev.graft.train.AugmentConfig;
import dev.graft.train.EarlyStopping;
import dev.graft.train.HeadFit;
import dev.graft.train.Imbalance;
import dev.graft.train.OptimizerConfig;
import dev.graft.train.OptimizerKind;
import dev.graft.train.Regularization;
import dev.graft.train.Schedule;
import dev.graft.train.TrainConfig;
import java.util.List;
import java.util.Locale;

/** Turns experiment training sections into {@link TrainConfig}s: defaults, then base, then overrides. */
public final class TrainSettings {
    private TrainSettings() {}

    /** Defaults: Adam at 1e-3, 20 epochs, batch 32, constant schedule, nothing else. */
    public static TrainConfig defaults() {
        return TrainConfig.simple(OptimizerKind.ADAM, 1e-3, 20, 32);
    }

    /**
     * The defaults for training on {@code data}: with its valid input range (pixels in [0, 1],
     * normalized as the data are; feature vectors unbounded), which adversarial training clamps into
     * and every configuration derived from this one keeps. A regression's early stopping watches
     * validation RMSE by default.
     */
    public static TrainConfig defaults(TaskData data) {
        TrainConfig base = defaults().withInputRange(dev.graft.robust.InputRange.of(data.pool().sampleShape(),
                data.normalization()));
        // a regression watches validation RMSE unless early_stopping names another metric
        return data.pool().regression()
                ? base.withEarlyStopping(new EarlyStopping(MetricName.RMSE, 0, false)) : base;
    }

    /**
     * {@code base} with every field that {@code section} sets replaced.
     *
     * @throws GraftInputException if a value is invalid (the message names the key)
     */
    public static TrainConfig apply(TrainConfig base, TrainSection s, String where) {
        if (s == null) {
            return base;
        }
        try {
            OptimizerConfig opt = base.optimizer();
            if (s.optimizer() != null) {
                OptimizerKind kind = parse(OptimizerKind.class, s.optimizer(), where + ".optimizer");
                opt = OptimizerConfig.defaults(kind, opt.lr());
            }
            if (s.lr() != null) {
                opt = opt.withLr(s.lr());
            }
            if (s.momentum() != null) {
                opt = new OptimizerConfig(opt.kind(), opt.lr(), s.momentum(), opt.beta1(), opt.beta2(), opt.eps(),
                        opt.alpha(), opt.weightDecay());
            }
            if (s.weightDecay() != null) {
                opt = opt.withWeightDecay(s.weightDecay());
            }
            Regularization reg = base.regularization();
            if (s.regularization() != null) {
                var r = s.regularization();
                reg = new Regularization(or(r.l1(), reg.l1()), or(r.l2(), reg.l2()), or(r.l2spAlpha(), reg.l2spAlpha()),
                        or(r.l2spBeta(), reg.l2spBeta()), or(r.lwf(), reg.lwf()),
                        or(r.lwfTemperature(), reg.lwfTemperature()), or(r.ewc(), reg.ewc()));
            }
            AugmentConfig aug = base.augment();
            if (s.augment() != null) {
                var a = s.augment();
                aug = new AugmentConfig(or(a.cropPadding(), aug.cropPadding()), or(a.flip(), aug.horizontalFlip()),
                        or(a.rotation(), aug.rotationDegrees()), or(a.mixup(), aug.mixupAlpha()),
                        or(a.cutmix(), aug.cutmixAlpha()));
            }
            EarlyStopping es = base.earlyStopping();
            if (s.earlyStopping() != null) {
                var e = s.earlyStopping();
                MetricName metric = e.metric() == null ? es.metric()
                        : parse(MetricName.class, e.metric(), where + ".early_stopping.metric");
                es = new EarlyStopping(metric, or(e.patience(), es.patience() == 0 ? 5 : es.patience()),
                        or(e.restoreBest(), true));
            }
            Imbalance imb = s.imbalance() == null ? base.imbalance()
                    : parse(Imbalance.class, s.imbalance(), where + ".imbalance");
            return new TrainConfig(opt, or(s.epochs(), base.epochs()), or(s.batchSize(), base.batchSize()),
                    s.schedule() == null ? base.schedule() : schedule(s.schedule(), where), or(s.layerDecay(),
                            base.layerDecay()), or(s.gradualUnfreezeEvery(), base.gradualUnfreezeEvery()), reg,
                    or(s.freezeBnStats(), base.freezeBatchNormStats()), or(s.labelSmoothing(), base.labelSmoothing()),
                    imb, aug, es, or(s.dropout(), base.dropout()), s.headFit() == null ? base.headFit()
                            : parse(HeadFit.class, s.headFit(), where + ".head_fit"),
                    adversarial(base.adversarial(), s.adversarial(), where + ".adversarial"));
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(where + ": " + e.getMessage());
        }
    }

    /**
     * The section's adversarial training, or {@code base} without one. A section replaces the
     * base's whole rather than key by key: PGD's default step follows ε and the steps, so a key
     * inherited from another attack would silently set a step the user never chose. The valid input
     * range stays the base's (the data's).
     */
    private static AdversarialTraining adversarial(AdversarialTraining base, AdversarialSection a, String where) {
        if (a == null) {
            return base;
        }
        String method = a.method() == null ? null : a.method().toLowerCase(Locale.ROOT);
        if (method != null && !List.of("fgsm", "pgd", "none").contains(method)) {
            throw new GraftInputException(where + ".method: must be fgsm, pgd or none, got '" + a.method() + "'");
        }
        if ("none".equals(method)) {
            if (a.eps() != null || a.steps() != null || a.stepSize() != null || a.mix() != null) {
                throw new GraftInputException(where + ": method none turns adversarial training off; it takes no "
                        + "eps, steps, step_size or mix");
            }
            return AdversarialTraining.OFF.withRange(base.range());
        }
        Attack attack = RobustnessSettings.attack(method, "method", a.eps(), a.steps(), a.stepSize(), where);
        double mix = a.mix() == null ? 1 : a.mix();
        if (!(mix > 0 && mix <= 1)) {
            throw new GraftInputException(where + ".mix: must be in (0, 1] (1: adversarial examples only, 0.5: half "
                    + "clean, half adversarial), got " + mix);
        }
        return new AdversarialTraining(attack, mix, base.range());
    }

    private static Schedule schedule(ExperimentConfig.ScheduleSection s, String where) {
        String type = s.type() == null ? "constant" : s.type().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "constant" -> new Schedule.Constant();
            case "step" -> new Schedule.Step(or(s.stepSize(), 10), or(s.gamma(), 0.1));
            case "exponential" -> new Schedule.Exponential(or(s.gamma(), 0.95));
            case "cosine" -> new Schedule.CosineWarmup(or(s.warmupSteps(), 0), or(s.minLr(), 0.0));
            case "one_cycle" -> new Schedule.OneCycle(or(s.pctStart(), 0.3), or(s.divFactor(), 25.0),
                    or(s.finalDivFactor(), 1e4));
            default -> throw new GraftInputException(where + ".schedule.type: unknown schedule '" + type
                    + "' (constant, step, exponential, cosine, one_cycle)");
        };
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String where) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                known.append(known.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new GraftInputException(where + ": unknown value '" + value + "' (" + known + ")");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
