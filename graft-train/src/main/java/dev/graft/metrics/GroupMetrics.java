package dev.graft.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Classification quality broken down by group (a subpopulation: footwear and clothing, a site, a
 * camera): per group the accuracy, the macro-F1 and the sample count, then the worst group's
 * accuracy and the gap between the best and the worst. An overall accuracy can hide a group the
 * model fails on; these numbers show it. Groups without a sample in the measured set are left
 * out (a gap over a group that was never measured would be invented).
 *
 * @param groups one entry per group that has samples in the measured set, in the groups' order
 * @param worstGroup the name of the group of lowest accuracy (the first such, on a tie)
 * @param worstAccuracy its accuracy, in [0, 1]
 * @param gap the best group's accuracy minus the worst's, in [0, 1] (0 with one group)
 */
public record GroupMetrics(List<Group> groups, String worstGroup, double worstAccuracy, double gap) {

    /**
     * One group's quality.
     *
     * @param name the group's name
     * @param count its samples in the measured set
     * @param accuracy correct / count
     * @param macroF1 the mean F1 over the classes present among the group's samples (true labels),
     *     each class's F1 computed on the group's samples alone
     */
    public record Group(String name, int count, double accuracy, double macroF1) {}

    public GroupMetrics {
        groups = List.copyOf(groups);
    }

    /**
     * The per-group metrics of {@code predicted} against {@code truth}.
     *
     * @param group each sample's group index into {@code names}
     * @param names the group names
     * @return the metrics, or null when no sample has a group (an empty set)
     * @throws IllegalArgumentException if the arrays differ in length or hold a label or group out of range
     */
    public static GroupMetrics of(int[] truth, int[] predicted, int classes, int[] group, List<String> names) {
        if (truth.length != predicted.length || truth.length != group.length) {
            throw new IllegalArgumentException("truth, predictions and groups differ in length");
        }
        int n = names.size();
        // per group: confusion counts restricted to its samples
        int[][] tp = new int[n][classes];
        int[][] actual = new int[n][classes];
        int[][] guessed = new int[n][classes];
        int[] count = new int[n];
        for (int i = 0; i < truth.length; i++) {
            int g = group[i];
            count[g]++;
            actual[g][truth[i]]++;
            guessed[g][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                tp[g][truth[i]]++;
            }
        }
        List<Group> out = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            if (count[g] == 0) {
                continue;
            }
            int correct = 0;
            double f1Sum = 0;
            int present = 0;
            for (int c = 0; c < classes; c++) {
                correct += tp[g][c];
                if (actual[g][c] == 0) {
                    continue;
                }
                present++;
                double p = guessed[g][c] == 0 ? 0 : (double) tp[g][c] / guessed[g][c];
                double r = (double) tp[g][c] / actual[g][c];
                f1Sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
            }
            out.add(new Group(names.get(g), count[g], (double) correct / count[g], f1Sum / present));
        }
        if (out.isEmpty()) {
            return null;
        }
        Group worst = out.get(0);
        double best = worst.accuracy();
        for (Group x : out) {
            if (x.accuracy() < worst.accuracy()) {
                worst = x;
            }
            best = Math.max(best, x.accuracy());
        }
        return new GroupMetrics(out, worst.name(), worst.accuracy(), best - worst.accuracy());
    }
}
