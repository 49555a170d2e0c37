package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.SequentialLayer;
import dev.graft.model.SpecException;
import dev.graft.model.SpecParser;
import dev.graft.model.SpecWriter;
import dev.graft.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bert family against a plain-PyTorch copy of Hugging Face's BertModel
 * (tools/make_bert_fixture.py): 2 layers, H 64, 4 heads, 3 sequences of 12 tokens with 0, 4
 * and 9 padding tokens, random weights. Hidden states at every position (padding too) and the
 * logits of the three poolings agree within 1e-4.
 */
class BertParityTest {
    private static final float TOLERANCE = 1e-4f;

    static BertConfig config() {
        return BertConfig.fromJson(Fixtures.file("bert/config.json"));
    }

    @Test
    void theConfigIsReadAsWritten() {
        assertEquals(new BertConfig(64, 2, 4, 128, 100, 32, 2, 1e-12, 0.1, 0.1, 0), config());
    }

    @Test
    void lastHiddenStatesMatchAtEveryPositionWithTheMaskAsLastColumn() {
        ModelSpec full = BertFamily.spec(config(), 3, BertFamily.Pooling.MEAN, 12, "fixture");
        ModelSpec encoder = new ModelSpec("encoder", "fixture", full.input(),
                new SequentialLayer("", BertFamily.encoder(config())));
        ModelLayout layout = ModelLayout.of(encoder);
        assertEquals(List.of(12L, 65L), List.of(layout.output().get(0), layout.output().get(1)));
        try (SafetensorsFile io = SafetensorsFile.open(Fixtures.file("bert/bert.io.safetensors"));
                NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            model.load(weights(layout));
            NDArray x = EngineTensors.toNDArray(m, io.read("input"));
            float[] out = model.predict(x).toFloatArray();
            float[] expected = io.read("last_hidden_state").toFloats();
            float[] mask = io.read("attention_mask").toFloats();
            assertEquals(3 * 12 * 65, out.length);
            for (int t = 0; t < 3 * 12; t++) {
                for (int j = 0; j < 64; j++) {
                    assertEquals(expected[t * 64 + j], out[t * 65 + j], TOLERANCE, "token " + t + " unit " + j);
                }
                assertEquals(mask[t], out[t * 65 + 64], 0f, "mask of token " + t);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"MEAN, logits_mean", "CLS, logits_cls", "POOLER, logits_pooler"})
    void logitsMatchForEachPooling(BertFamily.Pooling pooling, String fixture) {
        ModelLayout layout = ModelLayout.of(BertFamily.spec(config(), 3, pooling, 12, "fixture"));
        assertEquals("classifier", layout.head());
        try (SafetensorsFile io = SafetensorsFile.open(Fixtures.file("bert/bert.io.safetensors"));
                NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            model.load(weights(layout));
            NDArray x = EngineTensors.toNDArray(m, io.read("input"));
            assertArrayEquals(io.read(fixture).toFloats(), model.predict(x).toFloatArray(), TOLERANCE);
        }
    }

    /** Names and order are BertModel's state_dict: the fixture's, less the pooler unless it is used. */
    @Test
    void tensorNamesAndOrderAreBertModels() {
        try (SafetensorsFile w = SafetensorsFile.open(Fixtures.file("bert/bert.safetensors"))) {
            assertEquals(w.names(), ModelLayout.of(BertFamily.spec(config(), 3, BertFamily.Pooling.POOLER, 12, "f"))
                    .params().stream().map(ParamInfo::name).toList());
            assertEquals(w.names().stream().filter(n -> !n.startsWith("pooler.")).toList(),
                    ModelLayout.of(BertFamily.spec(config(), 3, BertFamily.Pooling.MEAN, 12, "f"))
                            .params().stream().map(ParamInfo::name).toList());
        }
    }

    @Test
    void theSpecWritesOutAndReadsBackToTheSameNetwork() {
        ModelSpec s = BertFamily.spec(config(), 3, BertFamily.Pooling.CLS, 12, "fixture");
        ModelSpec back = SpecParser.parse("written", SpecWriter.write(s));
        assertEquals(s.root(), back.root());
        assertEquals(s.input(), back.input());
        assertEquals(s.head(), back.head());
    }

    @Test
    void aSequenceLongerThanThePositionEmbeddingsIsRefusedNamingTheLayer() {
        SpecException e = assertThrows(SpecException.class,
                () -> ModelLayout.of(BertFamily.spec(config(), 3, BertFamily.Pooling.MEAN, 33, "cfg.json")));
        assertTrue(e.getMessage().contains("layer embeddings: sequences of 33 tokens are longer than max_positions 32"),
                e.getMessage());
    }

    private static Map<String, Tensor> weights(ModelLayout layout) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (SafetensorsFile w = SafetensorsFile.open(Fixtures.file("bert/bert.safetensors"))) {
            for (ParamInfo p : layout.params()) {
                Tensor t = w.read(p.name());
                state.put(p.name(), Tensor.ofFloats(t.dims(), t.toFloats()));
            }
        }
        return state;
    }
}
