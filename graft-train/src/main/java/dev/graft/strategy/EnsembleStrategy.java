package dev.graft.strategy;

import dev.graft.GraftInputException;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.train.Evaluator;
import dev.graft.train.TrainResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An ensemble as a strategy of {@code graft compare} ({@code base: ensemble}): per shot count and
 * seed every member is transferred and fine-tuned on the same shots, and their test predictions
 * are combined by averaged probabilities or majority vote. Members are strategies of the
 * experiment, or (from graft-search) the best policies a search found. Its time is all members'.
 */
public final class EnsembleStrategy implements ComparedStrategy {

    /** Where the members come from, per shot count and seed. */
    @FunctionalInterface
    public interface Members {
        List<Strategies.Resolved> of(Prepared p, int shots, long seed);
    }

    private final String name;
    private final Ensemble vote;
    private final Members members;
    private final String description;

    public EnsembleStrategy(String name, Ensemble vote, Members members, String description) {
        this.name = name;
        this.vote = vote;
        this.members = members;
        this.description = description;
    }

    /** The vote an ensemble section names (average by default). */
    public static Ensemble vote(ExperimentConfig.EnsembleSection e, String where) {
        String v = e == null || e.vote() == null ? "average" : e.vote().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "average" -> Ensemble.AVERAGE;
            case "majority" -> Ensemble.MAJORITY;
            default -> throw new GraftInputException(where + ".ensemble.vote: must be average or majority");
        };
    }

    /**
     * The ensemble of strategies a spec names, if its base is {@code ensemble} and it lists
     * {@code members} (an ensemble of a search's best policies is graft-search's).
     *
     * @throws GraftInputException if a member is unknown or not a plain strategy
     */
    public static Optional<ComparedStrategy> resolve(Prepared p, ExperimentConfig.StrategySpec spec, String where) {
        if (!"ensemble".equals(spec.base()) || spec.ensemble() == null || spec.ensemble().search() != null) {
            return Optional.empty();
        }
        List<String> names = spec.ensemble().members();
        if (names == null || names.size() < 2) {
            throw new GraftInputException(where + ".ensemble.members: name two or more strategies");
        }
        List<Strategies.Resolved> resolved = new ArrayList<>();
        for (String n : names) {
            ExperimentConfig.StrategySpec member = p.config().strategies().stream()
                    .filter(s -> n.equals(s.name()) && s != spec).findFirst()
                    .orElse(ExperimentConfig.StrategySpec.named(n));
            if (member.base() != null && !Strategies.BUILT_IN.contains(member.base())
                    && !"contrastive".equals(member.base())) {
                throw new GraftInputException(where + ".ensemble.members: '" + n + "' is not a built-in or custom "
                        + "fine-tuning strategy");
            }
            resolved.add(Strategies.resolve(member, p.layout(), p.train(), p.dir(), 0, where + ".ensemble.members"));
        }
        return Optional.of(new EnsembleStrategy(spec.name() == null ? "ensemble" : spec.name(),
                vote(spec.ensemble(), where), (q, shots, seed) -> resolved, String.join(" + ", names)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunRecord run(Prepared p, int shots, long seed, ExperimentRunner.Progress progress) {
        long start = System.nanoTime();
        List<float[]> probabilities = new ArrayList<>();
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        int classes = p.data().pool().classes();
        List<String> diverged = new ArrayList<>();
        List<dev.graft.experiment.LayerDecision> transfer = List.of();
        for (Strategies.Resolved m : members.of(p, shots, seed)) {
            Strategies.Resolved seeded = m.seeded(seed);
            float[][] probs = new float[1][];
            RunRecord r;
            if (seeded.head() != null) {
                // a classical head votes with its own probabilities
                ExperimentRunner.Splits s = ExperimentRunner.splits(p, shots, seed);
                dev.graft.experiment.ClassicalRun.Result cr = dev.graft.experiment.ClassicalRun.run(p, seeded, shots,
                        seed, s.train(), s.validation(), p.data().test(), false, progress);
                r = cr.record();
                probs[0] = cr.measured();
            } else {
                r = ExperimentRunner.run(p, seeded, shots, seed, progress, model -> probs[0] = p.data().test() == null
                        ? null : Ensemble.softmax(Evaluator.logits(model, p.data().test(), 256), classes), false);
            }
            if (r.status() == TrainResult.Status.DIVERGED) {
                diverged.add(m.name());
                continue;
            }
            probabilities.add(probs[0]);
            // one member's history and transfer map stand for the ensemble in reports
            history = r.history();
            transfer = r.transfer();
        }
        ClassificationMetrics test = probabilities.isEmpty() || p.data().test() == null ? null
                : vote.measure(probabilities, p.data().test().labels(), classes, p.data().test().groups());
        double seconds = (System.nanoTime() - start) / 1e9;
        String message = vote.name().toLowerCase(Locale.ROOT) + " of " + probabilities.size() + ": " + description
                + (diverged.isEmpty() ? "" : " (diverged: " + String.join(", ", diverged) + ")");
        return new RunRecord(name, shots, seed, probabilities.isEmpty() ? TrainResult.Status.DIVERGED
                : TrainResult.Status.COMPLETED, message, test, history.size(), history.size() - 1, seconds, seconds,
                history, transfer, null, null);
    }
}
