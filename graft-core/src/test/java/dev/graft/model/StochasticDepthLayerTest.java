package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.graft.engine.Engines;
import org.junit.jupiter.api.Test;

/** torchvision's StochasticDepth(p, "row"): per-sample drop and 1/(1-p) scale in training, identity in eval. */
class StochasticDepthLayerTest {

    @Test
    void dropsWholeSamplesInTrainingAndNothingInEval() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Block b = new StochasticDepthLayer("sd", 0.5).build("sd", null);
            b.initialize(m, DataType.FLOAT32, new Shape(400, 3, 2, 2));
            NDArray x = m.ones(new Shape(400, 3, 2, 2));
            ParameterStore ps = new ParameterStore(m, false);
            float[] eval = b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(x.toFloatArray(), eval);
            float[] train = b.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            int kept = 0;
            for (int s = 0; s < 400; s++) {
                float first = train[s * 12];
                assertTrue(first == 0f || first == 2f, "sample " + s + ": " + first);
                for (int i = 1; i < 12; i++) {
                    assertEquals(first, train[s * 12 + i], "a sample is kept or dropped whole");
                }
                kept += first == 2f ? 1 : 0;
            }
            assertTrue(kept > 140 && kept < 260, "kept " + kept + " of 400 at p = 0.5");
        }
    }
}
