package dev.graft.report;

import dev.graft.experiment.RunRecord;
import dev.graft.metrics.GroupMetrics;
import dev.graft.metrics.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's per-group table: for each strategy and shot count, each group's test accuracy,
 * macro-F1 and sample count over seeds, and the validation accuracy when it was measured. It
 * shows what the overall accuracy averages away: a group the model fails on. Stateless.
 */
final class GroupTables {
    private GroupTables() {}

    /** Whether any run was measured by group. */
    static boolean any(List<RunRecord> runs) {
        return runs.stream().anyMatch(r -> r.testGroups() != null);
    }

    /** The table's rows, header first: one row per strategy, shot count and group, in run order. */
    static List<String[]> rows(List<RunRecord> runs) {
        Map<String, List<RunRecord>> cells = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            if (r.testGroups() != null) {
                cells.computeIfAbsent(r.strategy() + "\u0000" + r.shots(), k -> new ArrayList<>()).add(r);
            }
        }
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"strategy", "shots", "group", "test samples", "accuracy (mean ± sd)",
            "macro-F1 (mean ± sd)", "validation accuracy", "worst in"});
        for (List<RunRecord> cell : cells.values()) {
            RunRecord first = cell.get(0);
            for (GroupMetrics.Group g : first.testGroups().groups()) {
                String name = g.name();
                Summary acc = Summary.of(cell.stream().mapToDouble(r -> group(r.testGroups(), name).accuracy())
                        .filter(v -> !Double.isNaN(v)).toArray());
                Summary f1 = Summary.of(cell.stream().mapToDouble(r -> group(r.testGroups(), name).macroF1())
                        .filter(v -> !Double.isNaN(v)).toArray());
                Summary val = Summary.of(cell.stream().filter(r -> r.validationGroups() != null)
                        .mapToDouble(r -> group(r.validationGroups(), name).accuracy())
                        .filter(v -> !Double.isNaN(v)).toArray());
                long worst = cell.stream().filter(r -> r.testGroups().worstGroup().equals(name)).count();
                out.add(new String[] {first.strategy(), first.shots() == 0 ? "all" : String.valueOf(first.shots()),
                    name, String.valueOf(g.count()), acc.format(3), f1.format(3),
                    val.n() == 0 ? "-" : val.format(3), worst + " of " + cell.size() + " seeds"});
            }
        }
        return out;
    }

    /** A group's entry by name; NaN values when the set had none of its samples. */
    private static GroupMetrics.Group group(GroupMetrics m, String name) {
        return m.groups().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElse(new GroupMetrics.Group(name, 0, Double.NaN, Double.NaN));
    }

    /** The section's text: what the numbers are. */
    static String explanation() {
        return "Test metrics per group (data.groups). Accuracy is the share of the "
                + "group's test samples classified correctly; macro-F1 averages F1 over the classes present in "
                + "the group, computed on its samples alone. The strategy table's worst group and gap (best "
                + "minus worst group accuracy) come from these numbers, per seed.";
    }
}
