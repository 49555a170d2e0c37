package dev.graft.search;

import dev.graft.data.Examples;
import dev.graft.experiment.Prepared;
import dev.graft.strategy.SourceScore;
import dev.graft.train.TrainConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A transferability prior over layer cuts, to seed a search (issue 20's "cheap priors"). Cut k
 * transfers the first k layer groups and trains the rest from scratch; its score is the LogME
 * (You et al. 2021) of the source network's activations at the input of group k on the labelled
 * target images, a measure of how well those frozen features already separate the new classes.
 * It costs one forward pass of the source over the labelled images, no training.
 *
 * <p>The seeded policy of a cut fine-tunes the transferred groups at the LR multiplier nearest
 * 0.1 (the frozen form of a cut is what the hand strategies {@code partial} and
 * {@code head_only} already try), with the global genes nearest the experiment's own settings.
 *
 * @param cuts every cut from one transferred group up to all groups but the head's, best first
 */
public record CutPrior(List<Cut> cuts) {

    /**
     * One cut.
     *
     * @param transferred how many leading layer groups are transferred
     * @param layer the first layer not transferred, whose input is scored
     * @param logMe LogME per sample (higher is better)
     */
    public record Cut(int transferred, String layer, double logMe) {}

    public CutPrior {
        cuts = List.copyOf(cuts);
    }

    /**
     * Scores every cut of {@code policies} on {@code labelled} (shots and validation images).
     *
     * @throws dev.graft.GraftInputException if the experiment has no source checkpoint
     */
    public static CutPrior of(Prepared p, PolicySpace policies, Examples labelled, long seed) {
        if (p.source().names().isEmpty()) {
            throw new dev.graft.GraftInputException(p.file() + ": search.prior needs a source checkpoint to score");
        }
        List<String> firstLayers = new ArrayList<>();
        policies.groups().values().forEach(members -> firstLayers.add(members.get(0)));
        List<String> scored = firstLayers.subList(1, firstLayers.size());
        Map<String, Double> logMe = SourceScore.logMeAtInputs(p.sourceLabel(), p.source(), p.layout().spec(),
                p.layout().head(), labelled, seed, scored);
        List<Cut> cuts = new ArrayList<>();
        for (int k = 1; k < firstLayers.size(); k++) {
            cuts.add(new Cut(k, firstLayers.get(k), logMe.get(firstLayers.get(k))));
        }
        cuts.sort(Comparator.comparingDouble(Cut::logMe).reversed());
        return new CutPrior(cuts);
    }

    /**
     * When {@code settings} ask for the prior: scores the cuts on the objective's labelled images,
     * reports them through {@code status}, and queues the best cuts' policies as the study's first
     * trials.
     */
    static void seed(Study study, Prepared p, PolicySpace policies, PolicyObjective objective, SearchSettings settings,
            java.util.function.Consumer<String> status) {
        if (!settings.logMePrior()) {
            return;
        }
        CutPrior prior = of(p, policies, objective.estimator().labelled(), settings.seed());
        int count = prior.seeds(settings.trials());
        status.accept("prior: " + prior.summary() + (count == 1 ? "; the first trial fine-tunes the best cut"
                : "; the first " + count + " trials fine-tune the best " + count + " cuts"));
        prior.points(policies, p.train(), count).forEach(study::suggest);
    }

    /** How many cuts a search of {@code trials} trials seeds: about a third of them, at least one. */
    public int seeds(int trials) {
        return Math.min(cuts.size(), Math.max(1, (trials + 2) / 3));
    }

    /** The seeded points of the best {@code count} cuts, best first. */
    public List<int[]> points(PolicySpace policies, TrainConfig train, int count) {
        List<int[]> out = new ArrayList<>();
        for (Cut c : cuts.subList(0, Math.min(count, cuts.size()))) {
            out.add(point(policies, train, c.transferred()));
        }
        return out;
    }

    private static int[] point(PolicySpace policies, TrainConfig train, int transferred) {
        List<String> groups = new ArrayList<>(policies.groups().keySet());
        List<Dimension> dims = policies.space().dimensions();
        int[] point = new int[dims.size()];
        for (int i = 0; i < dims.size(); i++) {
            Dimension d = dims.get(i);
            String name = d.name();
            int dot = name.lastIndexOf('.');
            String gene = dot < 0 ? name : name.substring(dot + 1);
            int group = dot < 0 ? -1 : groups.indexOf(name.substring(0, dot));
            boolean kept = group >= 0 && group < transferred;
            point[i] = switch (gene) {
                case "decision" -> indexOf(d, kept ? TransferPolicy.Decision.FINETUNE : TransferPolicy.Decision.SCRATCH);
                case "lr" -> nearest(d, kept ? 0.1 : 1.0);
                case "fraction" -> nearest(d, 1.0);
                case "base_lr" -> nearest(d, train.optimizer().lr());
                case "l2sp" -> nearest(d, 0.0);
                case "optimizer" -> Math.max(0, d.choices().indexOf(train.optimizer().kind()));
                case "epochs" -> nearest(d, train.epochs());
                default -> throw new IllegalStateException("no prior for gene " + name);
            };
        }
        return point;
    }

    private static int indexOf(Dimension d, Object choice) {
        int i = d.choices().indexOf(choice);
        return i >= 0 ? i : 0;
    }

    /** The choice nearest {@code target} on a log scale (linear around 0). */
    private static int nearest(Dimension d, double target) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < d.choices().size(); i++) {
            double v = ((Number) d.choices().get(i)).doubleValue();
            double distance = v > 0 && target > 0 ? Math.abs(Math.log(v / target)) : Math.abs(v - target);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i;
            }
        }
        return best;
    }

    /** The prior in a line, best cut first, for the run's log. */
    public String summary() {
        StringBuilder sb = new StringBuilder("LogME per cut (transferred groups, first layer trained from scratch):");
        for (Cut c : cuts) {
            sb.append(String.format(Locale.ROOT, " %d before %s %.4f;", c.transferred(), c.layer(), c.logMe()));
        }
        return sb.substring(0, sb.length() - 1);
    }
}
