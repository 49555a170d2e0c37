package dev.graft.experiment;

import dev.graft.data.Examples;
import dev.graft.export.OnnxExport;
import dev.graft.model.GraftModel;
import dev.graft.provenance.Provenance;
import dev.graft.train.Evaluator;

/**
 * What a run's model costs to serve and what it scores once exported, measured when the experiment
 * has an {@code export} section: the size of its ONNX export, the exported file's test accuracy and
 * latency under ONNX Runtime, and Graft's own inference time.
 *
 * <p>The file is the one {@code graft export} writes for the run's weights (the same exporter,
 * {@link OnnxExport}, float or int8 as the section says), built in memory and not written; it
 * differs from the written file only by its provenance metadata, which names the experiment's
 * source instead of the checkpoint file (tens of bytes). {@link OnnxRuntimeRun} runs it: its
 * accuracy is what a user serves (for int8, after quantization), its latency is per sample at batch
 * 1 on one thread. Graft's own time is its forward pass (libtorch through DJL, float weights even for
 * an int8 export), per test sample in batches of 256 after one warm-up pass.
 *
 * @param exportBytes the ONNX file's size in bytes
 * @param int8 whether linear and convolution weights are exported as int8
 * @param inferenceMs Graft's inference milliseconds per test sample (batch 256)
 * @param onnxAccuracy the exported file's test accuracy under ONNX Runtime (0 to 1)
 * @param onnxMs the exported file's milliseconds per sample under ONNX Runtime (batch 1, one thread)
 */
public record Deployment(long exportBytes, boolean int8, double inferenceMs, double onnxAccuracy, double onnxMs) {

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
     * @param test the samples to time inference on and to score the exported file on
     * @throws IllegalStateException if ONNX Runtime cannot run the export (see {@link OnnxRuntimeRun})
     */
    public static Deployment measure(GraftModel model, Examples test, boolean int8, Provenance provenance) {
        byte[] file = OnnxExport.of(model.layout(), model.stateDict(), int8, provenance).toBytes();
        // the first pass pays for allocation and the engine's warm-up; the second is timed
        Evaluator.logits(model, test, 256);
        long start = System.nanoTime();
        Evaluator.logits(model, test, 256);
        double ms = (System.nanoTime() - start) / 1e6 / Math.max(1, test.size());
        OnnxRuntimeRun served = OnnxRuntimeRun.of(file, test);
        return new Deployment(file.length, int8, ms, served.accuracy(), served.msPerSample());
    }

    /**
     * The comparison table's headers for these figures: none when no run measured them (so tables
     * of experiments without {@code export} keep their columns), else the export's size (marked
     * int8 when the weights are), the exported file's accuracy and milliseconds per sample under
     * ONNX Runtime, and Graft's milliseconds per sample.
     */
    public static java.util.List<String> headers(java.util.List<RunRecord> runs) {
        java.util.Optional<Deployment> any = runs.stream().map(RunRecord::deployment)
                .filter(java.util.Objects::nonNull).findFirst();
        return any.isEmpty() ? java.util.List.of()
                : java.util.List.of(any.get().int8() ? "ONNX size (int8)" : "ONNX size", "ONNX accuracy",
                        "ONNX ms/sample", "Graft ms/sample");
    }

    /** A row's cells under {@link #headers}: the mean size over seeds, and the means ± sd of the rest. */
    public static java.util.List<String> cells(Comparison.Row r) {
        if (r.exportBytes().n() == 0) {
            return java.util.List.of("-", "-", "-", "-");
        }
        return java.util.List.of(size(r.exportBytes().mean()), r.onnxAccuracy().format(3), r.onnxMs().format(3),
                r.inferenceMs().format(3));
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
