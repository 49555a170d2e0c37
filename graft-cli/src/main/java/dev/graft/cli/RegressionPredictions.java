package dev.graft.cli;

import dev.graft.data.RegressionTargets;
import dev.graft.experiment.Preprocessing;
import dev.graft.metrics.RegressionMetrics;
import dev.graft.train.Evaluator;
import java.util.Locale;

/**
 * A regression model's predictions over a dataset: each sample's predicted value in the target's
 * units ({@code mean + std·output}, the training pool's standardization undone), and with targets
 * the metrics.
 *
 * @param predicted one value per sample, in the target's units
 * @param target the model's target (column and standardization)
 * @param data the samples and whether their targets are real
 */
record RegressionPredictions(double[] predicted, Preprocessing.Target target, PredictionData data) {

    /**
     * @param outputs the network's outputs, one per sample (standardized units)
     */
    static RegressionPredictions of(float[] outputs, Preprocessing.Target target, PredictionData data) {
        double[] v = new double[outputs.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = target.mean() + target.std() * outputs[i];
        }
        return new RegressionPredictions(v, target, data);
    }

    /** RMSE, MAE and R² of the labelled samples, with the training loss on the standardized targets. */
    RegressionMetrics metrics(float[] outputs) {
        RegressionTargets t = data.examples().targets();
        return Evaluator.regression(outputs, t);
    }

    /** The predicted values' range and mean, for unlabelled samples. */
    String summary() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double p : predicted) {
            min = Math.min(min, p);
            max = Math.max(max, p);
            sum += p;
        }
        return String.format(Locale.ROOT, "predicted %s: mean %.6g, min %.6g, max %.6g%n", target.column(),
                sum / Math.max(1, predicted.length), min, max);
    }

    /** One CSV row per sample: index, the true value (empty when unknown), the predicted value. */
    String csv() {
        StringBuilder sb = new StringBuilder("index,target,predicted\n");
        for (int i = 0; i < predicted.length; i++) {
            sb.append(i).append(',')
                    // the target as the file wrote it (a float's shortest decimal form)
                    .append(data.labelled() ? String.valueOf(data.examples().targets().values()[i]) : "")
                    .append(',').append(String.format(Locale.ROOT, "%.9g", predicted[i])).append('\n');
        }
        return sb.toString();
    }
}
