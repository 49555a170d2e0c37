package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.testing.Fixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A spec that mirrors a PyTorch module loads that module's safetensors one to one and reproduces
 * its outputs. The expected logits were computed by PyTorch 1.13 (tools/make_fixtures.py).
 */
class PyTorchParityTest {

    @ParameterizedTest
    @CsvSource({"mlp.yaml, mlp", "small-cnn.yaml, small_cnn", "small-resnet.yaml, small_resnet",
        "modern-cnn.yaml, modern_cnn", "seq1d.yaml, seq1d"})
    void logitsMatchPyTorchInEvalMode(String spec, String fixture) {
        ModelLayout layout = ModelLayout.of(SpecParser.read(Fixtures.example("specs/" + spec)));
        try (SafetensorsFile weights = SafetensorsFile.open(Fixtures.file(fixture + ".safetensors"));
                SafetensorsFile io = SafetensorsFile.open(Fixtures.file(fixture + ".io.safetensors"));
                NDManager manager = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, manager)) {
            assertEquals(weights.names(), layout.params().stream().map(ParamInfo::name).toList(),
                    "spec names and order are PyTorch's state_dict");
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String n : weights.names()) {
                state.put(n, weights.read(n));
                assertEquals(weights.info(n).dims(), layout.param(n).orElseThrow().dims(), n);
            }
            model.load(state);
            NDArray x = EngineTensors.toNDArray(manager, io.read("input"));
            float[] actual = model.predict(x).toFloatArray();
            float[] expected = io.read("output").toFloats();
            assertArrayEquals(expected, actual, 1e-5f);
            assertEquals(expected.length, actual.length);
            Map<String, Tensor> back = model.stateDict();
            for (String n : List.of(weights.names().get(0), weights.names().get(weights.names().size() - 1))) {
                assertArrayEquals(weights.read(n).toFloats(), back.get(n).toFloats(), 0f, n);
            }
        }
    }
}
