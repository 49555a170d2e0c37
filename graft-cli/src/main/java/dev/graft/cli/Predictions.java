package dev.graft.cli;

import dev.graft.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Locale;

/**
 * A model's predictions over a dataset: softmax probabilities {@code [N × K]}, the predicted class
 * of each sample, and with labels the metrics.
 *
 * @param probabilities row-major {@code [N × K]}, each row summing to 1
 * @param predicted the arg-max class of each sample
 * @param classes the class names, output order
 * @param data the samples and whether their labels are real
 */
record Predictions(double[] probabilities, int[] predicted, List<String> classes, PredictionData data) {

    static Predictions of(float[] logits, List<String> classes, PredictionData data) {
        int k = classes.size();
        int n = logits.length / k;
        double[] p = new double[logits.length];
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (logits[i * k + c] > max) {
                    max = logits[i * k + c];
                    best[i] = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[i * k + c] = Math.exp(logits[i * k + c] - max);
                sum += p[i * k + c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] /= sum;
            }
        }
        return new Predictions(p, best, classes, data);
    }

    /** Accuracy, F1 and confusion of the labelled samples. */
    ClassificationMetrics metrics() {
        int k = classes.size();
        int n = predicted.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss -= Math.log(Math.max(probabilities[i * k + data.examples().labels()[i]], 1e-300));
        }
        return ClassificationMetrics.of(data.examples().labels(), predicted, k, n == 0 ? Double.NaN : loss / n);
    }

    /** The confusion matrix as text: one row per true class, one column per predicted class. */
    String confusionTable(ClassificationMetrics metrics) {
        int[][] cm = metrics.confusion();
        int w = Math.max(6, classes.stream().mapToInt(String::length).max().orElse(6));
        StringBuilder sb = new StringBuilder("confusion (rows: true class, columns: predicted)\n");
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (String c : classes) {
            sb.append(String.format(Locale.ROOT, " %" + w + "s", c));
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", classes.get(t)));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(String.format(Locale.ROOT, " %" + w + "d", cm[t][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** How many samples were predicted as each class. */
    String counts() {
        int[] n = new int[classes.size()];
        for (int p : predicted) {
            n[p]++;
        }
        StringBuilder sb = new StringBuilder("predicted:");
        for (int c = 0; c < n.length; c++) {
            sb.append(' ').append(classes.get(c)).append(' ').append(n[c]);
        }
        return sb.append('\n').toString();
    }

    /** One CSV row per sample: index, label (empty when unknown), predicted class, a probability per class. */
    String csv() {
        StringBuilder sb = new StringBuilder("index,label,predicted");
        for (String c : classes) {
            sb.append(",p_").append(quote(c));
        }
        sb.append('\n');
        int k = classes.size();
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i).append(',')
                    .append(data.labelled() ? quote(classes.get(data.examples().labels()[i])) : "").append(',')
                    .append(quote(classes.get(predicted[i])));
            for (int c = 0; c < k; c++) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6f", probabilities[i * k + c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
