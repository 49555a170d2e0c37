package dev.graft.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * ONNX Runtime, the independent implementation Graft's exports are checked against: runs a model's
 * {@code input} to its {@code logits} on one thread, with every graph optimization on (as a user's
 * session has them).
 */
public final class Ort {
    private Ort() {}

    /** A session on the model's bytes, for several runs; close it. */
    public static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            return OrtEnvironment.getEnvironment().createSession(model, opts);
        }
    }

    /** The model's {@code logits} for {@code input} of shape {@code shape} (batch first), flattened. */
    public static float[] run(OrtSession session, float[] input, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result r = session.run(Map.of("input", x))) {
            OnnxTensor y = (OnnxTensor) r.get("logits").orElseThrow();
            long batch = y.getInfo().getShape()[0];
            if (batch != shape[0]) {
                throw new AssertionError("batch " + shape[0] + " in, " + batch + " out: "
                        + Arrays.toString(y.getInfo().getShape()));
            }
            FloatBuffer b = y.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    /** {@link #run(OrtSession, float[], long...)} on a session of its own. */
    public static float[] run(byte[] model, float[] input, long... shape) throws OrtException {
        try (OrtSession s = session(model)) {
            return run(s, input, shape);
        }
    }

    /** The largest absolute difference of two equally long arrays. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }
}
