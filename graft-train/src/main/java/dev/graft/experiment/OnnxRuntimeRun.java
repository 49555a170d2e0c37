package dev.graft.experiment;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graft.data.Examples;
import dev.graft.export.OnnxExport;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An exported model run by the runtime it is deployed on, ONNX Runtime (Microsoft's, through its
 * Java API; the native library is inside its jar, so nothing is fetched): the exported file's own
 * test accuracy, which for an int8 export is the accuracy a user actually serves, and its latency.
 *
 * <p>The session has one intra-op and one inter-op thread and every graph optimization on, as
 * {@code bench/export_bench.sh} runs it: a latency on one core is comparable across machines and
 * with Graft's own figure. The latency is per sample at batch 1 (one request at a time, as a
 * service answers it), the mean over up to {@link #LATENCY_SAMPLES} test samples after
 * {@link #WARM_UP} untimed runs.
 *
 * @param accuracy the share of test samples whose largest exported logit is their label (0 to 1)
 * @param msPerSample milliseconds per sample at batch 1
 */
public record OnnxRuntimeRun(double accuracy, double msPerSample) {
    /** Test samples timed at batch 1. */
    public static final int LATENCY_SAMPLES = 64;
    /** Untimed batch-1 runs before the timed ones (session warm-up, allocator). */
    public static final int WARM_UP = 4;
    private static final int BATCH = 32;

    /**
     * Runs {@code model} (the bytes of an {@link OnnxExport}) on {@code test}.
     *
     * @param model an ONNX model with a float {@code input} {@code [N, ...sample shape]} and {@code logits}
     *     {@code [N, classes]}, as {@link OnnxExport} writes it
     * @throws IllegalStateException if ONNX Runtime refuses the model or a run fails (its message
     *     is kept); an export Graft wrote is always accepted
     */
    public static OnnxRuntimeRun of(byte[] model, Examples test) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts)) {
                int right = 0;
                for (int from = 0; from < test.size(); from += BATCH) {
                    int n = Math.min(BATCH, test.size() - from);
                    float[] logits = logits(env, session, test, from, n);
                    int classes = logits.length / n;
                    for (int i = 0; i < n; i++) {
                        right += argmax(logits, i * classes, classes) == test.labels()[from + i] ? 1 : 0;
                    }
                }
                int timed = Math.min(LATENCY_SAMPLES, test.size());
                for (int i = 0; i < WARM_UP && timed > 0; i++) {
                    logits(env, session, test, i % test.size(), 1);
                }
                long start = System.nanoTime();
                for (int i = 0; i < timed; i++) {
                    logits(env, session, test, i, 1);
                }
                double ms = timed == 0 ? Double.NaN : (System.nanoTime() - start) / 1e6 / timed;
                return new OnnxRuntimeRun(test.size() == 0 ? Double.NaN : (double) right / test.size(), ms);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the exported model: " + e.getMessage(), e);
        }
    }

    private static float[] logits(OrtEnvironment env, OrtSession session, Examples test, int from, int n)
            throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(test.features(from, n)), test.batchShape(n));
                OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, x))) {
            FloatBuffer b = ((OnnxTensor) r.get(OnnxExport.OUTPUT).orElseThrow()).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    private static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (v[offset + c] > v[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
