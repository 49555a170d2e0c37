package dev.graft.train;

import dev.graft.checkpoint.AtomicFiles;
import dev.graft.data.Examples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A classical head fitted with Tribuo on fixed features: the features of one sample are a flat
 * {@code [D]} vector (named {@code f000000}…, in order), its class an index {@code 0..K-1}. The
 * hyperparameters are chosen among the grid's points by accuracy on the validation features (ties:
 * the lower log-loss, then the earlier point); without validation features, by stratified k-fold
 * cross-validation over the training features (k = min(3, smallest class)), or the grid's first
 * point when a class has a single sample. The chosen point is refitted on the training features.
 *
 * <p>The fitted head is saved as Tribuo's protobuf model ({@code Model.serializeToFile}: a
 * {@code tribuo.core.ModelProto} message; data only, no Java serialization, read back by
 * {@link #load}).
 */
public final class ClassicalHead {
    static {
        // Tribuo logs every fit at INFO on the console
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    }

    /** Probabilities below this count as this when the log-loss is computed (a vote can be 0). */
    static final double MIN_PROBABILITY = 1e-7;

    private final Model<Label> model;
    private final int classes;
    private final String description;

    private ClassicalHead(Model<Label> model, int classes, String description) {
        this.model = model;
        this.classes = classes;
        this.description = description;
    }

    /** What was fitted and how its hyperparameters were chosen, for the run's message. */
    public String description() {
        return description;
    }

    /**
     * Fits a head of {@code kind} on {@code train}'s features, choosing among {@code grid}.
     *
     * @param validation validation features, or null to cross-validate on {@code train}
     * @throws IllegalArgumentException if {@code train} is empty, the grid is empty, or the feature
     *     counts disagree
     */
    public static ClassicalHead fit(ClassicalHeadKind kind, List<ClassicalHeadKind.Grid> grid, Examples train,
            Examples validation, long seed) {
        if (train.size() == 0 || grid.isEmpty()) {
            throw new IllegalArgumentException(train.size() == 0 ? "no training samples" : "an empty grid");
        }
        if (validation != null && validation.sampleSize() != train.sampleSize()) {
            throw new IllegalArgumentException("training features have " + train.sampleSize() + " values, validation "
                    + validation.sampleSize());
        }
        ClassicalHeadKind.Grid chosen = grid.get(0);
        String how = "the only point of its grid";
        if (grid.size() > 1) {
            List<Examples[]> folds = new ArrayList<>();
            if (validation != null && validation.size() > 0) {
                folds.add(new Examples[] {train, validation});
                how = "on the validation split";
            } else {
                int smallest = java.util.Arrays.stream(train.classCounts()).filter(n -> n > 0).min().orElse(0);
                int k = Math.min(3, smallest);
                if (k >= 2) {
                    for (int[] out : train.stratifiedFolds(k, seed)) {
                        java.util.Set<Integer> held = new java.util.HashSet<>();
                        for (int i : out) {
                            held.add(i);
                        }
                        int[] in = java.util.stream.IntStream.range(0, train.size()).filter(i -> !held.contains(i))
                                .toArray();
                        folds.add(new Examples[] {train.subset(in), train.subset(out)});
                    }
                    how = "by " + k + "-fold cross-validation";
                } else {
                    how = "the grid's first point (too few samples per class to cross-validate)";
                }
            }
            if (!folds.isEmpty()) {
                chosen = choose(kind, grid, folds, seed);
            }
        }
        Model<Label> model = train(kind, chosen, train, seed);
        return new ClassicalHead(model, train.classes(), kind.keyword() + " (" + kind.describe(chosen) + ", chosen "
                + how + ")");
    }

    private static ClassicalHeadKind.Grid choose(ClassicalHeadKind kind, List<ClassicalHeadKind.Grid> grid,
            List<Examples[]> folds, long seed) {
        ClassicalHeadKind.Grid best = grid.get(0);
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (ClassicalHeadKind.Grid point : grid) {
            double correct = 0;
            double loss = 0;
            int count = 0;
            for (Examples[] fold : folds) {
                ClassicalHead h = new ClassicalHead(train(kind, point, fold[0], seed), fold[0].classes(), "");
                float[] p = h.probabilities(fold[1]);
                for (int i = 0; i < fold[1].size(); i++) {
                    int y = fold[1].labels()[i];
                    correct += argmax(p, i, h.classes) == y ? 1 : 0;
                    loss -= Math.log(Math.max(MIN_PROBABILITY, p[i * h.classes + y]));
                }
                count += fold[1].size();
            }
            double acc = correct / count;
            double mean = loss / count;
            if (acc > bestAcc + 1e-12 || (Math.abs(acc - bestAcc) <= 1e-12 && mean < bestLoss - 1e-12)) {
                bestAcc = acc;
                bestLoss = mean;
                best = point;
            }
        }
        return best;
    }

    private static Model<Label> train(ClassicalHeadKind kind, ClassicalHeadKind.Grid point, Examples data, long seed) {
        if (point.k() > data.size()) {
            // more neighbours than samples: every sample votes
            point = new ClassicalHeadKind.Grid(point.c(), point.trees(), point.depth(), data.size(), point.distance());
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> set = new MutableDataset<>(new SimpleDataSourceProvenance("graft features", factory),
                factory);
        int[] keep = varying(data);
        String[] all = names(data.sampleSize());
        String[] names = new String[keep.length];
        for (int j = 0; j < keep.length; j++) {
            names[j] = all[keep[j]];
        }
        for (int i = 0; i < data.size(); i++) {
            set.add(example(new Label(Integer.toString(data.labels()[i])), names, data, i, keep));
        }
        return kind.trainer(point, keep.length, seed).train(set);
    }

    /**
     * The features that vary over the training samples (all of them when none does). A constant
     * feature (a dead ReLU unit, an image's blank border) tells classes apart nowhere, and
     * standardizing it divides by a zero deviation: every score would be NaN. Left out of the
     * head's feature map, it is ignored at prediction too (Tribuo drops features it never saw).
     */
    private static int[] varying(Examples data) {
        int d = data.sampleSize();
        float[] f = data.features();
        int[] keep = new int[d];
        int n = 0;
        for (int j = 0; j < d; j++) {
            for (int i = 1; i < data.size(); i++) {
                if (f[i * d + j] != f[j]) {
                    keep[n++] = j;
                    break;
                }
            }
        }
        if (n == 0) {
            int[] every = new int[d];
            for (int j = 0; j < d; j++) {
                every[j] = j;
            }
            return every;
        }
        return java.util.Arrays.copyOf(keep, n);
    }

    /** Feature names sort in index order (Tribuo orders features by name). */
    private static String[] names(int d) {
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format(java.util.Locale.ROOT, "f%06d", j);
        }
        return names;
    }

    private static Example<Label> example(Label label, String[] names, Examples data, int i, int[] keep) {
        int d = data.sampleSize();
        double[] values = new double[keep.length];
        float[] f = data.features();
        for (int j = 0; j < keep.length; j++) {
            values[j] = f[i * d + keep[j]];
        }
        return new ArrayExample<>(label, names, values);
    }

    private static Example<Label> example(Label label, String[] names, Examples data, int i) {
        int[] every = new int[data.sampleSize()];
        for (int j = 0; j < every.length; j++) {
            every[j] = j;
        }
        return example(label, names, data, i, every);
    }

    /**
     * The head's class probabilities for every sample of {@code data}, {@code [N × K]} row-major.
     * Logistic regression's probabilities and the forest's or neighbours' vote fractions are taken
     * as they are (renormalized to sum to 1); a linear SVM's decision values go through a softmax.
     *
     * @throws IllegalArgumentException if {@code data}'s samples have another size than the head's features
     */
    public float[] probabilities(Examples data) {
        int d = data.sampleSize();
        int features = model.getFeatureIDMap().size();
        if (d < features) {
            throw new IllegalArgumentException("the head reads " + features + " features, the samples have " + d);
        }
        String[] names = names(d);
        float[] out = new float[data.size() * classes];
        Label unknown = new LabelFactory().getUnknownOutput();
        Model<?> inner = model instanceof org.tribuo.transform.TransformedModel<?> t ? t.getInnerModel() : model;
        // LIBLINEAR's SVM scores are decision values; the others' (logistic regression, votes) probabilities
        boolean decisionValues = inner instanceof org.tribuo.common.liblinear.LibLinearModel<?>
                && !inner.generatesProbabilities();
        for (int i = 0; i < data.size(); i++) {
            Prediction<Label> p = model.predict(example(unknown, names, data, i));
            Map<String, Label> scores = p.getOutputScores();
            double[] s = new double[classes];
            java.util.Arrays.fill(s, Double.NEGATIVE_INFINITY);
            for (Map.Entry<String, Label> e : scores.entrySet()) {
                s[Integer.parseInt(e.getKey())] = e.getValue().getScore();
            }
            if (!decisionValues) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    s[c] = Double.isInfinite(s[c]) ? 0 : Math.max(0, s[c]);
                    sum += s[c];
                }
                for (int c = 0; c < classes; c++) {
                    out[i * classes + c] = (float) (sum > 0 ? s[c] / sum : 1.0 / classes);
                }
            } else {
                double max = java.util.Arrays.stream(s).max().orElse(0);
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(s[c] - max);
                }
                for (int c = 0; c < classes; c++) {
                    out[i * classes + c] = (float) (Math.exp(s[c] - max) / sum);
                }
            }
        }
        return out;
    }

    /** The index of the highest probability of row {@code i} (the first on ties). */
    public static int argmax(float[] p, int i, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[i * classes + c] > p[i * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    /** Writes the fitted model as Tribuo's protobuf {@code ModelProto}, atomically. */
    public void save(Path file) throws IOException {
        byte[] bytes = model.serialize().toByteArray();
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.close(); // AtomicFiles flushes its buffer on close only
        });
    }

    /**
     * Reads a head {@link #save} wrote.
     *
     * @param classes the model's class count (labels are {@code 0..classes-1})
     * @throws IOException if the file cannot be read or is not a Tribuo classification model
     */
    public static ClassicalHead load(Path file, int classes) throws IOException {
        Model<?> m;
        try {
            m = Model.deserialize(org.tribuo.protos.core.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(file)));
        } catch (RuntimeException e) {
            throw new IOException("not a Tribuo model file: " + e.getMessage(), e);
        }
        if (!m.validate(Label.class)) {
            throw new IOException("not a classification model");
        }
        @SuppressWarnings("unchecked")
        Model<Label> labels = (Model<Label>) m;
        for (Label l : labels.getOutputIDInfo().getDomain()) {
            int c;
            try {
                c = Integer.parseInt(l.getLabel());
            } catch (NumberFormatException e) {
                throw new IOException("class '" + l.getLabel() + "' is not a class index");
            }
            if (c < 0 || c >= classes) {
                throw new IOException("class " + c + " is outside the model's " + classes + " classes");
            }
        }
        return new ClassicalHead(labels, classes, "loaded from " + file.getFileName());
    }
}
