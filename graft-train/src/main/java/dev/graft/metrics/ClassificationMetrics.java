package dev.graft.metrics;

/**
 * Quality on one set of predictions: a classification's, or for a regression task
 * ({@link #regression()} set) RMSE, MAE and R², with the classification fields NaN or empty. Precision of a class never predicted, and
 * recall of a class absent from the truth, count as 0 (as scikit-learn's {@code zero_division=0}).
 *
 * @param accuracy correct / total
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param macroF1 unweighted mean of per-class F1
 * @param microF1 F1 of pooled counts (equals accuracy for single-label classification)
 * @param confusion {@code confusion[truth][predicted]} counts
 * @param loss mean cross-entropy, or NaN when not computed
 * @param groups the same broken down by the samples' groups, or null when the set has none
 * @param robustAccuracy accuracy on the same samples under the experiment's adversarial attack
 *     ({@code robustness}), or null when none was configured
 * @param regression a regression task's metrics, or null for a classification
 */
public record ClassificationMetrics(double accuracy, double[] precision, double[] recall, double[] f1,
        double macroF1, double microF1, int[][] confusion, double loss, GroupMetrics groups, Double robustAccuracy,
        RegressionMetrics regression) {

    /** A classification's metrics. */
    public ClassificationMetrics(double accuracy, double[] precision, double[] recall, double[] f1, double macroF1,
            double microF1, int[][] confusion, double loss, GroupMetrics groups, Double robustAccuracy) {
        this(accuracy, precision, recall, f1, macroF1, microF1, confusion, loss, groups, robustAccuracy, null);
    }

    /** A regression's metrics: the classification fields NaN or empty, the loss the regression's. */
    public static ClassificationMetrics of(RegressionMetrics r) {
        return new ClassificationMetrics(Double.NaN, new double[0], new double[0], new double[0], Double.NaN,
                Double.NaN, new int[0][0], r.loss(), null, null, r);
    }

    /** Metrics without robust accuracy. */
    public ClassificationMetrics(double accuracy, double[] precision, double[] recall, double[] f1, double macroF1,
            double microF1, int[][] confusion, double loss, GroupMetrics groups) {
        this(accuracy, precision, recall, f1, macroF1, microF1, confusion, loss, groups, null);
    }

    /** The same metrics with {@code robust} as the accuracy under attack. */
    public ClassificationMetrics withRobustAccuracy(double robust) {
        return new ClassificationMetrics(accuracy, precision, recall, f1, macroF1, microF1, confusion, loss, groups,
                robust, regression);
    }

    /**
     * The headline numbers for a console line: {@code accuracy 0.8125  macro-F1 0.8010}, or a
     * regression's {@code RMSE 0.0412  MAE 0.0310  R² 0.8731} (in the target's units).
     */
    public String headline() {
        return regression == null
                ? String.format(java.util.Locale.ROOT, "accuracy %.4f  macro-F1 %.4f", accuracy, macroF1)
                : String.format(java.util.Locale.ROOT, "RMSE %.4g  MAE %.4g  R² %.4f", regression.rmse(),
                        regression.mae(), regression.r2());
    }

    /** Metrics without a breakdown by group. */
    public ClassificationMetrics(double accuracy, double[] precision, double[] recall, double[] f1, double macroF1,
            double microF1, int[][] confusion, double loss) {
        this(accuracy, precision, recall, f1, macroF1, microF1, confusion, loss, null, null, null);
    }

    /**
     * Metrics of {@code predicted} against {@code truth}, broken down by {@code groups} when given.
     *
     * @param groups each sample's group, or null
     * @throws IllegalArgumentException if the arrays differ in length or hold a label outside [0, classes)
     */
    public static ClassificationMetrics of(int[] truth, int[] predicted, int classes, double loss,
            dev.graft.data.Groups groups) {
        ClassificationMetrics m = of(truth, predicted, classes, loss);
        if (groups == null) {
            return m;
        }
        return new ClassificationMetrics(m.accuracy, m.precision, m.recall, m.f1, m.macroF1, m.microF1, m.confusion,
                m.loss, GroupMetrics.of(truth, predicted, classes, groups.of(), groups.names()));
    }

    /**
     * Metrics of {@code predicted} against {@code truth}.
     *
     * @throws IllegalArgumentException if the arrays differ in length or hold a label outside [0, classes)
     */
    public static ClassificationMetrics of(int[] truth, int[] predicted, int classes, double loss) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth and predictions differ in length");
        }
        int[][] cm = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][predicted[i]]++;
        }
        double[] p = new double[classes];
        double[] r = new double[classes];
        double[] f = new double[classes];
        long tpAll = 0;
        for (int c = 0; c < classes; c++) {
            long tp = cm[c][c];
            long predictedC = 0;
            long actualC = 0;
            for (int k = 0; k < classes; k++) {
                predictedC += cm[k][c];
                actualC += cm[c][k];
            }
            p[c] = predictedC == 0 ? 0 : (double) tp / predictedC;
            r[c] = actualC == 0 ? 0 : (double) tp / actualC;
            f[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
            tpAll += tp;
        }
        double macro = 0;
        for (double v : f) {
            macro += v;
        }
        macro /= Math.max(1, classes);
        double acc = truth.length == 0 ? 0 : (double) tpAll / truth.length;
        // pooled precision and recall are both tp/total when every sample has one label
        double micro = acc;
        return new ClassificationMetrics(acc, p, r, f, macro, micro, cm, loss);
    }

    /**
     * The value of a named metric: {@code accuracy}, {@code macro_f1}, {@code micro_f1},
     * {@code loss}, or a regression's {@code rmse}, {@code mae} and {@code r2} (NaN when the
     * metrics are of the other kind of task).
     */
    public double get(MetricName name) {
        return switch (name) {
            case ACCURACY -> accuracy;
            case MACRO_F1 -> macroF1;
            case MICRO_F1 -> microF1;
            case LOSS -> loss;
            case RMSE -> regression == null ? Double.NaN : regression.rmse();
            case MAE -> regression == null ? Double.NaN : regression.mae();
            case R2 -> regression == null ? Double.NaN : regression.r2();
        };
    }
}
