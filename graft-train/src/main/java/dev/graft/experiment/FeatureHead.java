package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.train.ClassicalHeadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.common.nearest.KNNTrainer;

/**
 * A strategy's classical head: what is fitted on which layer's features, over which grid, and
 * whether the encoder is first tuned contrastively (SetFit).
 *
 * @param kind the head
 * @param layer the layer whose input is the feature vector
 * @param grid the hyperparameter points tried, chosen on the validation split
 * @param iterations SetFit's pair rounds when the encoder is tuned contrastively first, else 0
 * @param epochs passes over the pairs (contrastive only)
 * @param fineTuned whether the whole network is first fine-tuned under the strategy's plan, its own
 *     head training with it, and the head then fitted on the tuned encoder's features (a policy
 *     search's trials with a classical head); never together with {@code contrastive()}
 */
public record FeatureHead(ClassicalHeadKind kind, String layer, List<ClassicalHeadKind.Grid> grid, int iterations,
        int epochs, boolean fineTuned) {

    public FeatureHead {
        if (fineTuned && iterations > 0) {
            throw new IllegalArgumentException("an encoder is tuned on pairs or fine-tuned, not both");
        }
    }

    /** Whether the encoder is tuned on pairs before the head is fitted. */
    public boolean contrastive() {
        return iterations > 0;
    }

    /** Whether the encoder stays as transferred (its features can be cached per encoder). */
    public boolean frozenEncoder() {
        return !contrastive() && !fineTuned;
    }

    /**
     * This head fitted after the network is fine-tuned under the strategy's plan (a contrastive
     * head stays contrastive: its plan already decides how the encoder tunes on pairs).
     */
    public FeatureHead afterFineTuning() {
        return contrastive() ? this : new FeatureHead(kind, layer, grid, iterations, epochs, true);
    }

    /**
     * The hyperparameter points tried, by the keys the head reads: {@code k 1, distance COSINE; k 3, ...}
     * (a search's journal records them: a resume with another grid would mix values).
     */
    public String gridText() {
        List<String> points = new ArrayList<>();
        for (ClassicalHeadKind.Grid g : grid) {
            List<String> parts = new ArrayList<>();
            for (String key : kind.keys()) {
                parts.add(key + " " + switch (key) {
                    case "c" -> String.valueOf(g.c());
                    case "trees" -> String.valueOf(g.trees());
                    case "depth" -> String.valueOf(g.depth());
                    case "k" -> String.valueOf(g.k());
                    default -> String.valueOf(g.distance()).toLowerCase(Locale.ROOT);
                });
            }
            points.add(String.join(", ", parts));
        }
        return String.join("; ", points);
    }

    /** What the head is, in words: {@code knn on the input of head, encoder tuned on pairs}. */
    public String describe() {
        return kind.keyword() + " on the input of " + layer + (contrastive() ? ", encoder tuned on pairs ("
                + iterations + " iterations × " + epochs + " epochs)" : fineTuned ? ", network fine-tuned first" : "");
    }

    /**
     * The head a strategy spec asks for ({@code head}, or {@code base: contrastive} with a default
     * logistic regression), or null when it asks for none.
     *
     * @throws GraftInputException naming the key, for an unknown type, a key the type does not
     *     read, a value out of range, or a layer the model cannot be cut before
     */
    public static FeatureHead of(ExperimentConfig.StrategySpec spec, ModelLayout layout, String where) {
        boolean contrastive = "contrastive".equals(spec.base());
        if (!contrastive && spec.contrastive() != null) {
            throw new GraftInputException(where + ".contrastive: goes with base: contrastive");
        }
        return of(spec.head(), spec.contrastive(), contrastive, layout, where + ".");
    }

    /**
     * The head of sections written elsewhere than a strategy (a search strategy's, the
     * experiment's top level), or null when there is none.
     *
     * @param contrastive whether the encoder is tuned on pairs first ({@code pairs} holds its settings,
     *     or null for the defaults)
     * @param keys what the sections' keys follow in messages: {@code exp.yaml: strategies[2].}, or
     *     {@code exp.yaml: } at the top level
     * @throws GraftInputException naming the key, as {@link #of(ExperimentConfig.StrategySpec, ModelLayout, String)}
     */
    public static FeatureHead of(HeadSection h, ContrastiveSection pairs, boolean contrastive, ModelLayout layout,
            String keys) {
        if (h == null && !contrastive) {
            return null;
        }
        if (h == null) {
            h = new HeadSection(null, null, null, null, null, null, null);
        }
        String type = h.type() == null ? "logistic_regression" : h.type();
        ClassicalHeadKind kind = ClassicalHeadKind.of(type);
        if (kind == null) {
            throw new GraftInputException(keys + "head.type: unknown head '" + type + "' ("
                    + ClassicalHeadKind.keywords() + ")");
        }
        require(kind, "c", h.c(), keys);
        require(kind, "trees", h.trees(), keys);
        require(kind, "depth", h.depth(), keys);
        require(kind, "k", h.k(), keys);
        require(kind, "distance", h.distance(), keys);
        List<Double> cs = positive(h.c() == null ? kind.defaultC() : h.c(), keys + "head.c");
        List<Integer> trees = atLeastOne(h.trees() == null ? kind.defaultTrees() : h.trees(), keys + "head.trees");
        List<Integer> depth = atLeastOne(h.depth() == null ? kind.defaultDepth() : h.depth(), keys + "head.depth");
        List<Integer> ks = atLeastOne(h.k() == null ? kind.defaultK() : h.k(), keys + "head.k");
        KNNTrainer.Distance distance = KNNTrainer.Distance.COSINE;
        if (h.distance() != null) {
            try {
                distance = KNNTrainer.Distance.valueOf(h.distance().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GraftInputException(keys + "head.distance: must be cosine, l2 or l1, got '"
                        + h.distance() + "'");
            }
        }
        List<ClassicalHeadKind.Grid> grid = new ArrayList<>();
        for (double c : cs.isEmpty() ? List.of(0.0) : cs) {
            for (int t : trees.isEmpty() ? List.of(0) : trees) {
                for (int d : depth.isEmpty() ? List.of(0) : depth) {
                    for (int k : ks.isEmpty() ? List.of(0) : ks) {
                        grid.add(new ClassicalHeadKind.Grid(c, t, d, k, distance));
                    }
                }
            }
        }
        String layer = h.layer() == null ? layout.head() : h.layer();
        if (ModelSplit.before(layout.spec(), layer, true).isEmpty()) {
            throw new GraftInputException(keys + "head.layer: the model cannot be cut before '" + layer
                    + "' (name a top-level layer after the first, such as the head " + layout.head() + ")");
        }
        int iterations = 0;
        int epochs = 0;
        if (contrastive) {
            iterations = pairs == null || pairs.iterations() == null ? 20 : pairs.iterations();
            epochs = pairs == null || pairs.epochs() == null ? 1 : pairs.epochs();
            if (iterations < 1) {
                throw new GraftInputException(keys + "contrastive.iterations: must be at least 1");
            }
            if (epochs < 1) {
                throw new GraftInputException(keys + "contrastive.epochs: must be at least 1");
            }
        }
        return new FeatureHead(kind, layer, List.copyOf(grid), iterations, epochs, false);
    }

    private static void require(ClassicalHeadKind kind, String key, Object value, String keys) {
        if (value != null && !kind.keys().contains(key)) {
            throw new GraftInputException(keys + "head." + key + ": " + kind.keyword() + " does not read it ("
                    + (kind.keys().isEmpty() ? "it reads none" : "it reads " + String.join(", ", kind.keys())) + ")");
        }
    }

    private static List<Double> positive(List<Double> values, String where) {
        for (Double v : values) {
            if (v == null || !(v > 0) || Double.isInfinite(v)) {
                throw new GraftInputException(where + ": each must be a positive number, got " + values);
            }
        }
        return values;
    }

    private static List<Integer> atLeastOne(List<Integer> values, String where) {
        for (Integer v : values) {
            if (v == null || v < 1) {
                throw new GraftInputException(where + ": each must be at least 1, got " + values);
            }
        }
        return values;
    }
}
