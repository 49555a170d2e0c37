package dev.graft.experiment;

import dev.graft.data.Examples;
import dev.graft.export.OnnxExport;
import dev.graft.model.GraftModel;
import dev.graft.provenance.Provenance;
import dev.graft.train.Evaluator;

/**
 * What a run's model costs to serve, measured when the experiment has an {@code export} section:
 * the size of its ONNX export and Graft's own inference time.
 *
 * <p>The size is that of the file {@code graft export} writes for the run's weights (the same
 * exporter, {@link OnnxExport}, float or int8 as the section says), built in memory and not
 * written; it differs from the written file only by its provenance metadata, which names the
 * experiment's source instead of the checkpoint file (tens of bytes). The latency is <em>not</em>
 * the exported file's: ONNX Runtime is a test-scope dependency only (its jar, with native libraries
 * for every platform, is 93 MB; Graft runs on libtorch alone), so it is Graft's own forward pass
 * (libtorch through DJL, float weights even for an int8 export), per test sample in batches of 256
 * after one warm-up pass. {@code bench/export_bench.sh} measures exported files under ONNX Runtime.
 *
 * @param exportBytes the ONNX file's size in bytes
 * @param int8 whether linear and convolution weights are exported as int8
 * @param inferenceMs Graft's inference milliseconds per test sample (batch 256)
 */
public record Deployment(long exportBytes, boolean int8, double inferenceMs) {

    /**
     * The run's deployment figures, or null when the experiment asks for none.
     *
     * @param model the trained model (its layout is the one the run built, dropout setting included)
     * @param test the samples to time inference on (the test set)
     * @throws dev.graft.model.SpecException if a layer of the model cannot be exported (every layer
     *     kind Graft has today can)
     */
    public static Deployment measure(Prepared p, GraftModel model, Examples test) {
        ExperimentConfig.ExportSection e = p.config().export();
        if (e == null) {
            return null;
        }
        return measure(model, test, Boolean.TRUE.equals(e.int8()), Provenance.now(p.sourceLabel(), p.sourceSha256()));
    }

    /**
     * The figures of {@code model}, exported float or int8 with {@code provenance} as its metadata.
     *
     * @param test the samples to time inference on
     */
    public static Deployment measure(GraftModel model, Examples test, boolean int8, Provenance provenance) {
        long bytes = OnnxExport.of(model.layout(), model.stateDict(), int8, provenance).bytes();
        // the first pass pays for allocation and the engine's warm-up; the second is timed
        Evaluator.logits(model, test, 256);
        long start = System.nanoTime();
        Evaluator.logits(model, test, 256);
        double ms = (System.nanoTime() - start) / 1e6 / Math.max(1, test.size());
        return new Deployment(bytes, int8, ms);
    }

    /**
     * The comparison table's headers for these figures: none when no run measured them (so tables
     * of experiments without {@code export} keep their columns), else the export's size (marked
     * int8 when the weights are) and Graft's milliseconds per sample.
     */
    public static java.util.List<String> headers(java.util.List<RunRecord> runs) {
        java.util.Optional<Deployment> any = runs.stream().map(RunRecord::deployment)
                .filter(java.util.Objects::nonNull).findFirst();
        return any.isEmpty() ? java.util.List.of()
                : java.util.List.of(any.get().int8() ? "ONNX size (int8)" : "ONNX size", "Graft ms/sample");
    }

    /** A row's cells under {@link #headers}: the mean size over seeds, and the mean ± sd milliseconds. */
    public static java.util.List<String> cells(Comparison.Row r) {
        if (r.exportBytes().n() == 0) {
            return java.util.List.of("-", "-");
        }
        return java.util.List.of(size(r.exportBytes().mean()), r.inferenceMs().format(3));
    }

    /** Bytes in words: {@code 1.69 MB}, {@code 12.3 kB}, {@code 812 B} (decimal units). */
    public static String size(double bytes) {
        if (bytes >= 1e6) {
            return String.format(java.util.Locale.ROOT, "%.2f MB", bytes / 1e6);
        }
        return bytes >= 1e3 ? String.format(java.util.Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(java.util.Locale.ROOT, "%.0f B", bytes);
    }
}
