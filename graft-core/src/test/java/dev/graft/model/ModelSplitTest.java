package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.testing.Models;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSplitTest {
    @Test
    void prefixThenSuffixComputesTheWholeModel() {
        ModelLayout full = Models.example("small-cnn.yaml");
        ModelSplit split = ModelSplit.before(full.spec(), "features.4").orElseThrow();
        ModelLayout prefix = ModelLayout.of(split.prefix());
        ModelLayout suffix = ModelLayout.of(split.suffix());
        assertEquals(new Dims(32, 14, 14), split.suffix().input());
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"),
                prefix.params().stream().map(ParamInfo::name).toList());
        assertEquals("features.4.weight", suffix.params().get(0).name(), "names are kept");
        MemoryWeightStore w = Models.fixture("small_cnn.safetensors");
        MemoryWeightStore io = Models.fixture("small_cnn.io.safetensors");
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel a = GraftModel.build(prefix, m); GraftModel b = GraftModel.build(suffix, m)) {
            a.load(subset(w, prefix));
            b.load(subset(w, suffix));
            var mid = a.predict(EngineTensors.toNDArray(m, io.read("input")));
            assertArrayEquals(io.read("output").toFloats(), b.predict(mid).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void noCutAtTheFirstLayerOrAfterDropout() {
        ModelLayout full = Models.example("small-cnn.yaml");
        assertTrue(ModelSplit.before(full.spec(), "features.0").isEmpty());
        assertTrue(ModelSplit.before(full.spec(), "classifier.4").isEmpty(), "dropout in the prefix");
        assertTrue(ModelSplit.before(full.spec(), "nowhere").isEmpty());
        assertTrue(ModelSplit.before(full.spec(), "classifier.1").isPresent());
    }

    private static Map<String, Tensor> subset(MemoryWeightStore w, ModelLayout l) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParamInfo p : l.params()) {
            out.put(p.name(), w.read(p.name()));
        }
        return out;
    }
}
