package dev.graft.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The classical heads, each a Tribuo 4.3 trainer per point of its hyperparameter grid. The one
 * place that knows what each {@code head.type} keyword means; adding a head is a constant here and
 * a row in the YAML reference.
 *
 * <ul>
 *   <li>{@code logistic_regression}: L2-regularized logistic regression (LIBLINEAR's {@code L2R_LR},
 *       Fan et al. 2008) on features standardized to mean 0 and deviation 1; one versus the rest.
 *   <li>{@code linear_svm}: L2-regularized L2-loss linear SVM (LIBLINEAR's {@code L2R_L2LOSS_SVC_DUAL})
 *       on standardized features; its decision values become probabilities by a softmax.
 *   <li>{@code random_forest}: Breiman's (2001) random forest of CART trees, each on a bootstrap
 *       sample, choosing each split among √D random features; probabilities are the trees' votes.
 *   <li>{@code knn}: k nearest training features (cosine distance by default); probabilities are
 *       the neighbours' votes.
 * </ul>
 */
public enum ClassicalHeadKind {
    LOGISTIC_REGRESSION(List.of(0.01, 0.1, 1.0, 10.0, 100.0), List.of(), List.of(), List.of()) {
        @Override
        Trainer<Label> trainer(Grid point, int features, long seed) {
            return standardized(new LibLinearClassificationTrainer(
                    new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), point.c(), 10_000,
                    1e-4, seed));
        }
    },
    LINEAR_SVM(List.of(0.01, 0.1, 1.0, 10.0, 100.0), List.of(), List.of(), List.of()) {
        @Override
        Trainer<Label> trainer(Grid point, int features, long seed) {
            return standardized(new LibLinearClassificationTrainer(
                    new LinearClassificationType(LinearClassificationType.LinearType.L2R_L2LOSS_SVC_DUAL), point.c(),
                    10_000, 1e-4, seed));
        }
    },
    RANDOM_FOREST(List.of(), List.of(200), List.of(4, 8, 16), List.of()) {
        @Override
        Trainer<Label> trainer(Grid point, int features, long seed) {
            // Breiman's √D features per split; Tribuo wants the fraction strictly below 1
            float fraction = (float) Math.min(0.999, Math.max(1, Math.round(Math.sqrt(features))) / (double) features);
            CARTClassificationTrainer tree = new CARTClassificationTrainer(point.depth(), fraction, seed);
            return new RandomForestTrainer<>(tree, new VotingCombiner(), point.trees(), seed);
        }
    },
    KNN(List.of(), List.of(), List.of(), List.of(1, 3, 5, 7, 9)) {
        @Override
        Trainer<Label> trainer(Grid point, int features, long seed) {
            // the query factory named explicitly: the trainer's older constructor leaves it out of the
            // saved model, which then cannot be read back
            return new KNNTrainer<>(point.k(), point.distance().getDistanceType().getDistance(), 1,
                    new VotingCombiner(), KNNModel.Backend.THREADPOOL, NeighboursQueryFactoryType.BRUTE_FORCE);
        }
    };

    private final List<Double> c;
    private final List<Integer> trees;
    private final List<Integer> depth;
    private final List<Integer> k;

    ClassicalHeadKind(List<Double> c, List<Integer> trees, List<Integer> depth, List<Integer> k) {
        this.c = c;
        this.trees = trees;
        this.depth = depth;
        this.k = k;
    }

    /** The YAML keyword ({@code logistic_regression}, ...). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a keyword names, or null. */
    public static ClassicalHeadKind of(String keyword) {
        for (ClassicalHeadKind kind : values()) {
            if (kind.keyword().equals(keyword)) {
                return kind;
            }
        }
        return null;
    }

    /** Every keyword, for messages. */
    public static String keywords() {
        return String.join(", ", java.util.Arrays.stream(values()).map(ClassicalHeadKind::keyword).toList());
    }

    /** The hyperparameters this kind reads ({@code c}, {@code trees}, {@code depth}, {@code k}). */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        if (!c.isEmpty()) {
            out.add("c");
        }
        if (!trees.isEmpty()) {
            out.add("trees");
            out.add("depth");
        }
        if (!k.isEmpty()) {
            out.add("k");
            out.add("distance");
        }
        return out;
    }

    /** The default grid of {@code c}. */
    public List<Double> defaultC() {
        return c;
    }

    /** The default grid of {@code trees}. */
    public List<Integer> defaultTrees() {
        return trees;
    }

    /** The default grid of {@code depth}. */
    public List<Integer> defaultDepth() {
        return depth;
    }

    /** The default grid of {@code k}. */
    public List<Integer> defaultK() {
        return k;
    }

    /**
     * One point of a head's hyperparameter grid (the values a kind does not read are ignored).
     *
     * @param c the inverse L2 strength (LIBLINEAR's C: the loss summed over samples is weighed by C)
     * @param trees the forest's tree count
     * @param depth the trees' maximum depth
     * @param k the neighbour count
     * @param distance the kNN distance
     */
    public record Grid(double c, int trees, int depth, int k, KNNTrainer.Distance distance) {}

    /** The Tribuo trainer of one grid point, for {@code features}-dimensional inputs. */
    abstract Trainer<Label> trainer(Grid point, int features, long seed);

    /** The point's description for the run's message: only the values this kind reads. */
    String describe(Grid point) {
        return switch (this) {
            case LOGISTIC_REGRESSION, LINEAR_SVM -> "C " + point.c();
            case RANDOM_FOREST -> point.trees() + " trees, depth " + point.depth();
            case KNN -> "k " + point.k() + ", " + point.distance().name().toLowerCase(Locale.ROOT) + " distance";
        };
    }

    private static Trainer<Label> standardized(Trainer<Label> inner) {
        // the statistics are the training features', and the transform is saved with the model
        return new TransformTrainer<>(inner, new TransformationMap(List.of(new MeanStdDevTransformation())), true);
    }
}
