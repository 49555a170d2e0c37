package dev.graft.report;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.Deployment;
import dev.graft.experiment.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison table's optional model columns, each shown only when some run measured it, so
 * that other reports keep their columns: robust accuracy (the experiment's {@code robustness}
 * section), and the ONNX export's size, its accuracy and latency under ONNX Runtime, and Graft's inference
 * time ({@code export}).
 */
final class ModelColumns {
    static final String HEADER = "robust accuracy (mean ± sd)";
    static final String NOTE = "Robust accuracy: the share of test samples still classified correctly after the "
            + "experiment's L∞ attack (robustness in results.json's config: FGSM, Goodfellow et al. 2015, or PGD, "
            + "Madry et al. 2018) moved each within ε of itself, in normalized input units and inside the valid "
            + "pixel range. A strategy measured without it (an ensemble) shows '-'.";
    static final String EXPORT_NOTE = "ONNX size: the bytes of the ONNX file graft export writes for the run's "
            + "model (int8 weights when the experiment's export section says so). ONNX accuracy and ms/sample: "
            + "that file run by ONNX Runtime on one thread, its test accuracy (what is served, after int8 "
            + "quantization if asked) and its latency per sample at batch 1. Graft ms/sample: Graft's own "
            + "inference time per test sample (libtorch, batch 256, after a warm-up pass). An ensemble, which "
            + "is several models, shows '-'.";

    private final boolean robust;
    private final List<String> exported;

    private ModelColumns(boolean robust, List<String> exported) {
        this.robust = robust;
        this.exported = exported;
    }

    /** The columns these runs fill. */
    static ModelColumns of(List<RunRecord> runs) {
        return new ModelColumns(runs.stream().anyMatch(r -> !Double.isNaN(r.robustAccuracy())),
                Deployment.headers(runs));
    }

    /** The headers, in table order (none when no run measured any). */
    List<String> headers() {
        List<String> out = new ArrayList<>();
        if (robust) {
            out.add(HEADER);
        }
        out.addAll(exported);
        return out;
    }

    /** A row's cells under {@link #headers}; "-" where none of its runs measured the column. */
    List<String> cells(Comparison.Row r) {
        List<String> out = new ArrayList<>();
        if (robust) {
            out.add(r.robustAccuracy().n() == 0 ? "-" : r.robustAccuracy().format(3));
        }
        if (!exported.isEmpty()) {
            out.addAll(Deployment.cells(r));
        }
        return out;
    }

    /** The notes that explain the columns shown. */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        if (robust) {
            out.add(NOTE);
        }
        if (!exported.isEmpty()) {
            out.add(EXPORT_NOTE);
        }
        return out;
    }
}
