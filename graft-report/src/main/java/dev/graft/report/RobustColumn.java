package dev.graft.report;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.RunRecord;
import java.util.List;

/**
 * The comparison table's robust-accuracy column: shown only when some run was measured under an
 * attack (the experiment's {@code robustness} section), so that other reports keep their columns.
 */
final class RobustColumn {
    static final String HEADER = "robust accuracy (mean ± sd)";
    static final String NOTE = "Robust accuracy: the share of test samples still classified correctly after the "
            + "experiment's L∞ attack (robustness in results.json's config: FGSM, Goodfellow et al. 2015, or PGD, "
            + "Madry et al. 2018) moved each within ε of itself, in normalized input units and inside the valid "
            + "pixel range. A strategy measured without it (an ensemble) shows '-'.";

    private RobustColumn() {}

    /** Whether any run holds a robust accuracy. */
    static boolean any(List<RunRecord> runs) {
        return runs.stream().anyMatch(r -> !Double.isNaN(r.robustAccuracy()));
    }

    /** The row's cell: mean ± sd over seeds, or "-" when none of its runs was attacked. */
    static String cell(Comparison.Row r) {
        return r.robustAccuracy().n() == 0 ? "-" : r.robustAccuracy().format(3);
    }
}
