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
 */
public record FeatureHead(ClassicalHeadKind kind, String layer, List<ClassicalHeadKind.Grid> grid, int iterations,
        int epochs) {

    /** Whether the encoder is tuned on pairs before the head is fitted. */
    public boolean contrastive() {
        return iterations > 0;
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
        HeadSection h = spec.head();
        if (h == null && !contrastive) {
            return null;
        }
        if (h == null) {
            h = new HeadSection(null, null, null, null, null, null, null);
        }
        String type = h.type() == null ? "logistic_regression" : h.type();
        ClassicalHeadKind kind = ClassicalHeadKind.of(type);
        if (kind == null) {
            throw new GraftInputException(where + ".head.type: unknown head '" + type + "' ("
                    + ClassicalHeadKind.keywords() + ")");
        }
        require(kind, "c", h.c(), where);
        require(kind, "trees", h.trees(), where);
        require(kind, "depth", h.depth(), where);
        require(kind, "k", h.k(), where);
        require(kind, "distance", h.distance(), where);
        List<Double> cs = positive(h.c() == null ? kind.defaultC() : h.c(), where + ".head.c");
        List<Integer> trees = atLeastOne(h.trees() == null ? kind.defaultTrees() : h.trees(), where + ".head.trees");
        List<Integer> depth = atLeastOne(h.depth() == null ? kind.defaultDepth() : h.depth(), where + ".head.depth");
        List<Integer> ks = atLeastOne(h.k() == null ? kind.defaultK() : h.k(), where + ".head.k");
        KNNTrainer.Distance distance = KNNTrainer.Distance.COSINE;
        if (h.distance() != null) {
            try {
                distance = KNNTrainer.Distance.valueOf(h.distance().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GraftInputException(where + ".head.distance: must be cosine, l2 or l1, got '"
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
            throw new GraftInputException(where + ".head.layer: the model cannot be cut before '" + layer
                    + "' (name a top-level layer after the first, such as the head " + layout.head() + ")");
        }
        int iterations = 0;
        int epochs = 0;
        if (contrastive) {
            ContrastiveSection c = spec.contrastive();
            iterations = c == null || c.iterations() == null ? 20 : c.iterations();
            epochs = c == null || c.epochs() == null ? 1 : c.epochs();
            if (iterations < 1) {
                throw new GraftInputException(where + ".contrastive.iterations: must be at least 1");
            }
            if (epochs < 1) {
                throw new GraftInputException(where + ".contrastive.epochs: must be at least 1");
            }
        }
        return new FeatureHead(kind, layer, List.copyOf(grid), iterations, epochs);
    }

    private static void require(ClassicalHeadKind kind, String key, Object value, String where) {
        if (value != null && !kind.keys().contains(key)) {
            throw new GraftInputException(where + ".head." + key + ": " + kind.keyword() + " does not read it ("
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
