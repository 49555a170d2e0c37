package dev.graft.testing;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds models from specs and runs them, for tests. */
public final class Models {
    private Models() {}

    /** The layout of a shipped example spec, optionally with text replaced (to derive variants). */
    public static ModelLayout example(String spec, String... replacements) {
        try {
            String text = Files.readString(Fixtures.example("specs/" + spec));
            for (int i = 0; i < replacements.length; i += 2) {
                if (!text.contains(replacements[i])) {
                    throw new IllegalArgumentException("spec lacks '" + replacements[i] + "'");
                }
                text = text.replace(replacements[i], replacements[i + 1]);
            }
            return ModelLayout.of(SpecParser.parse(spec, text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All tensors of a fixture file, in memory. */
    public static MemoryWeightStore fixture(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.file(name))) {
            Map<String, Tensor> all = new LinkedHashMap<>();
            for (String n : f.names()) {
                Tensor t = f.read(n);
                all.put(n, Tensor.of(t.dtype(), t.dims(), copy(t)));
            }
            return new MemoryWeightStore(null, all, f.metadata());
        }
    }

    private static java.nio.ByteBuffer copy(Tensor t) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) t.byteSize());
        b.put(t.data()).flip();
        return b;
    }

    /**
     * A random state for {@code layout}: Graft's default initialization (BERT's normal weights at
     * std 0.5 instead of 0.02), then every norm weight, bias and running statistic drawn too
     * (uniform; variances in [0.5, 1.5]), so that no tensor is the identity ones and zeros leave it
     * and each one shows in the output.
     */
    public static Map<String, Tensor> randomState(ModelLayout layout, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (dev.graft.model.ParamInfo p : layout.params()) {
            if (p.role() == dev.graft.model.ParamRole.NUM_BATCHES_TRACKED) {
                out.put(p.name(), Tensor.ofLongs(p.dims(), new long[] {0}));
                continue;
            }
            float[] v = dev.graft.transfer.Initializer.DEFAULT.values(p, seed);
            boolean fixed = p.init() == dev.graft.model.ParamInit.ONES || p.init() == dev.graft.model.ParamInit.ZEROS;
            if (p.init() == dev.graft.model.ParamInit.NORMAL_0_02) {
                // BERT's std 0.02 leaves attention scores near 0 and softmax near uniform, where
                // a wrong scale or mask would hardly show
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 25;
                }
            }
            if (fixed) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.role() == dev.graft.model.ParamRole.RUNNING_VAR ? (float) rng.nextDouble(0.5, 1.5)
                            : v[i] + (float) rng.nextDouble(-0.5, 0.5);
                }
            }
            out.put(p.name(), Tensor.ofFloats(p.dims(), v));
        }
        return out;
    }

    /** Logits of the model in eval mode. */
    public static float[] logits(ModelLayout layout, Map<String, Tensor> state, Tensor input) {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            model.load(state);
            return model.predict(EngineTensors.toNDArray(m, input)).toFloatArray();
        }
    }
}
