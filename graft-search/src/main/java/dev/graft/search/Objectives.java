package dev.graft.search;

import dev.graft.GraftInputException;
import io.jenetics.ext.moea.Pareto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a policy search optimizes. With the target metric alone (the default) a trial's value is
 * that metric. With several objectives each trial records all of them, and its value, which the
 * single-objective samplers maximize, is minus a weighted energy Σ wₖ·costₖ (target error +
 * λ·source error, and so on); the NSGA-II sampler uses the objectives themselves, and the search
 * reports their Pareto front.
 *
 * @param list the objectives, in the order trials record them
 * @param weights each objective's weight in the energy
 */
public record Objectives(List<Objective> list, Map<Objective, Double> weights) {

    /** One objective, with what its cost in the energy is. */
    public enum Objective {
        /** The target validation metric; cost 1 − metric. */
        TARGET("target", true),
        /** Source validation accuracy through the source head after fine-tuning; cost 1 − accuracy. */
        RETENTION("retention", true),
        /** Trainable parameters; cost their share of the model's parameters. */
        PARAMETERS("parameters", false),
        /** Inference time per validation sample in milliseconds; cost those milliseconds. */
        LATENCY("latency", false),
        /**
         * The accuracy of the worst group ({@code data.groups}) on the validation set, after
         * fine-tuning; cost 1 − accuracy. It favours policies that do not buy their overall
         * accuracy with one subpopulation's.
         */
        WORST_GROUP("worst_group", true),
        /**
         * The accuracy on the validation set under the experiment's {@code robustness} attack,
         * after fine-tuning; cost 1 − accuracy. It favours policies whose models keep their
         * answers under small worst-case input changes.
         */
        ROBUSTNESS("robustness", true);

        private final String keyword;
        private final boolean maximized;

        Objective(String keyword, boolean maximized) {
            this.keyword = keyword;
            this.maximized = maximized;
        }

        public String keyword() {
            return keyword;
        }

        /** Whether more is better. */
        public boolean maximized() {
            return maximized;
        }
    }

    public Objectives {
        list = List.copyOf(list);
        weights = Map.copyOf(weights);
    }

    /** The target metric alone. */
    public static final Objectives TARGET_ONLY = new Objectives(List.of(Objective.TARGET), Map.of(Objective.TARGET, 1.0));

    /**
     * From an experiment's {@code search.objectives} and {@code search.weights}.
     *
     * @throws GraftInputException for unknown names, repeats, negative weights or weights of objectives not searched
     */
    public static Objectives of(List<String> names, Map<String, Double> weights, String where) {
        if (names == null || names.isEmpty()) {
            if (weights != null && !weights.isEmpty()) {
                throw new GraftInputException(where + ".weights: needs 'objectives'");
            }
            return TARGET_ONLY;
        }
        List<Objective> list = new ArrayList<>();
        for (String n : names) {
            Objective o = parse(n, where + ".objectives");
            if (list.contains(o)) {
                throw new GraftInputException(where + ".objectives: '" + n + "' is listed twice");
            }
            list.add(o);
        }
        Map<Objective, Double> w = new LinkedHashMap<>();
        list.forEach(o -> w.put(o, 1.0));
        if (weights != null) {
            weights.forEach((k, v) -> {
                Objective o = parse(k, where + ".weights");
                if (!list.contains(o)) {
                    throw new GraftInputException(where + ".weights: '" + k + "' is not one of the objectives");
                }
                if (v == null || !(v >= 0)) {
                    throw new GraftInputException(where + ".weights." + k + ": must be a number ≥ 0");
                }
                w.put(o, v);
            });
        }
        return new Objectives(list, w);
    }

    private static Objective parse(String name, String where) {
        for (Objective o : Objective.values()) {
            if (o.keyword.equals(String.valueOf(name).toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new GraftInputException(where + ": unknown objective '" + name
                + "' (target, retention, parameters, latency, worst_group, robustness)");
    }

    /** Whether trials record several objectives (or another than the target metric). */
    public boolean multiple() {
        return list.size() > 1 || list.get(0) != Objective.TARGET;
    }

    /**
     * Whether an objective needs the whole model trained (not only its run record from a cached
     * frozen prefix): retention, latency and robustness measure the model (the attack needs
     * gradients with respect to the inputs, through the whole model); the worst group reads the
     * per-group validation metrics, which only a whole-model run measures.
     */
    public boolean needsModel() {
        return list.contains(Objective.RETENTION) || list.contains(Objective.LATENCY)
                || list.contains(Objective.WORST_GROUP) || list.contains(Objective.ROBUSTNESS);
    }

    /** The names, in order. */
    public List<String> names() {
        return list.stream().map(Objective::keyword).toList();
    }

    /**
     * What the sampler maximizes: the target metric alone, or minus Σ wₖ·costₖ.
     *
     * @param values each objective's value, in {@link #list}'s order
     * @param totalParameters the model's trainable elements, to turn parameter counts into shares
     */
    public double value(double[] values, long totalParameters) {
        if (!multiple()) {
            return values[0];
        }
        double energy = 0;
        for (int i = 0; i < list.size(); i++) {
            Objective o = list.get(i);
            double cost = switch (o) {
                case TARGET, RETENTION, WORST_GROUP, ROBUSTNESS -> 1 - values[i];
                case PARAMETERS -> values[i] / Math.max(1, totalParameters);
                case LATENCY -> values[i];
            };
            energy += weights.get(o) * cost;
        }
        return -energy;
    }

    /** The objectives turned so that more is better on every axis (for dominance and NSGA-II). */
    public double[] maximized(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = list.get(i).maximized ? values[i] : -values[i];
        }
        return out;
    }

    /**
     * The trials no other trial dominates (at least as good on every objective, better on one),
     * among the complete trials with objectives; each point once, in trial order.
     */
    public List<Trial> front(List<Trial> trials) {
        return front(trials, Trial::key);
    }

    /** As {@link #front(List)}, counting trials with the same {@code identity} (a canonical policy) once. */
    public List<Trial> front(List<Trial> trials, java.util.function.Function<Trial, String> identity) {
        List<Trial> candidates = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Trial t : trials) {
            if (t.hasValue() && t.objectives().length == list.size() && seen.add(identity.apply(t))) {
                candidates.add(t);
            }
        }
        List<double[]> turned = candidates.stream().map(t -> maximized(t.objectives())).toList();
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            double[] v = turned.get(i);
            boolean dominated = false;
            for (int j = 0; j < candidates.size() && !dominated; j++) {
                dominated = j != i && Pareto.dominance(turned.get(j), v) > 0;
            }
            if (!dominated) {
                out.add(candidates.get(i));
            }
        }
        return out;
    }
}
