package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.BertEmbeddingsLayer;
import dev.graft.model.BertLayer;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ModelSplit;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamInit;
import dev.graft.model.SharedUnits;
import dev.graft.model.SpecException;
import dev.graft.model.UnitLayer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bert family's structure: its unit graph, its tensors' roles, dropout and model splits. */
class BertFamilyTest {
    static final BertConfig SMALL = new BertConfig(8, 2, 2, 16, 30, 10, 2, 1e-12, 0.1, 0.1, 0);

    static ModelLayout layout(BertFamily.Pooling pooling) {
        return ModelLayout.of(BertFamily.spec(SMALL, 3, pooling, 6, "small"));
    }

    @Test
    void unitSurgeryIsRefusedAcrossAttentionAndResidualsAndAllowedOnTheFeedForwardAndPooler() {
        ModelLayout l = layout(BertFamily.Pooling.POOLER);
        String p = "encoder.layer.0.";
        for (String s : List.of("attention.self.query", "attention.self.key", "attention.self.value")) {
            assertTrue(l.units().get(p + s).surgeryObstacle().orElseThrow().contains("multi-head attention"), s);
        }
        for (String s : List.of("attention.output.dense", "output.dense")) {
            assertTrue(l.units().get(p + s).surgeryObstacle().orElseThrow().contains("residual addition"), s);
        }
        UnitLayer inter = l.units().get(p + "intermediate.dense");
        assertEquals(Optional.empty(), inter.surgeryObstacle());
        assertEquals(List.of(p + "output.dense"), inter.consumers().stream().map(UnitLayer.Consumer::layer).toList());
        assertEquals(List.of(p + "intermediate.dense"), l.producers().get(p + "output.dense"));
        // the output projection reads the heads: shared units spanning query, key and value
        assertEquals(List.of(p + "attention.self"), l.producers().get(p + "attention.output.dense"));
        SharedUnits heads = l.sharedUnits().get(p + "attention.self");
        assertEquals(new SharedUnits(p + "attention.self", "head", 2, 4, List.of(p + "attention.self.query",
                p + "attention.self.key", p + "attention.self.value"),
                List.of(new UnitLayer.Consumer(p + "attention.output.dense", 4, false)), heads.noWidening()), heads);
        assertTrue(heads.noWidening().orElseThrow().contains("does not add attention heads"));
        assertEquals(Optional.of(heads), l.sharedOwner(l.param(p + "attention.self.key.bias").orElseThrow()));
        assertEquals(Optional.empty(), l.sharedOwner(l.param(p + "attention.output.dense.weight").orElseThrow()));
        assertEquals(2, l.sharedUnits().size(), "one per encoder layer");
        UnitLayer pooler = l.units().get("pooler.dense");
        assertEquals(Optional.empty(), pooler.surgeryObstacle());
        assertEquals(List.of("classifier"), pooler.consumers().stream().map(UnitLayer.Consumer::layer).toList());
        // 6 linear layers per encoder layer, the pooler's and the classifier
        assertEquals(2 * 6 + 2, l.units().size());
        assertEquals(List.of(), l.inputLayers(), "no layer reads token ids as input channels");
        assertEquals("classifier", l.head());
    }

    @Test
    void tensorsHaveHuggingFaceInitAndNoDecayOnNormsAndBiases() {
        ModelLayout l = layout(BertFamily.Pooling.MEAN);
        ParamInfo words = l.param("embeddings.word_embeddings.weight").orElseThrow();
        assertEquals(ParamInit.NORMAL_0_02, words.init());
        assertTrue(words.decayed());
        ParamInfo norm = l.param("encoder.layer.1.output.LayerNorm.weight").orElseThrow();
        assertEquals(ParamInit.ONES, norm.init());
        assertFalse(norm.decayed());
        assertFalse(l.param("encoder.layer.1.intermediate.dense.bias").orElseThrow().decayed());
        assertTrue(l.param("encoder.layer.1.intermediate.dense.weight").orElseThrow().decayed());
        assertEquals(List.of(16L, 8L), List.of(l.param("encoder.layer.1.intermediate.dense.weight").orElseThrow()
                .dims().get(0), l.param("encoder.layer.1.intermediate.dense.weight").orElseThrow().dims().get(1)));
    }

    @Test
    void dropoutInsideBertLayersIsSetByWithDropoutAndKeepsAPrefixFromBeingCached() {
        ModelSpec spec = BertFamily.spec(SMALL, 3, BertFamily.Pooling.MEAN, 6, "small");
        assertTrue(ModelSplit.before(spec, "encoder.layer.1").isEmpty(), "embeddings and layer 0 apply dropout");
        ModelSpec none = spec.withDropout(0);
        BertLayer layer = (BertLayer) ((dev.graft.model.SequentialLayer) ((dev.graft.model.SequentialLayer) none.root()
                .layers().get(1)).layers().get(0)).layers().get(0);
        assertEquals(0, layer.dropout());
        assertEquals(0, layer.attentionDropout());
        assertEquals(0, ((BertEmbeddingsLayer) none.root().layers().get(0)).dropout());
        ModelSplit split = ModelSplit.before(none, "encoder.layer.1").orElseThrow();
        assertEquals(List.of(6L, 9L), List.of(ModelLayout.of(split.prefix()).output().get(0),
                ModelLayout.of(split.prefix()).output().get(1)));
        assertTrue(ModelLayout.of(split.suffix()).param("encoder.layer.1.output.dense.weight").isPresent());
        assertTrue(ModelLayout.of(split.prefix()).param("embeddings.word_embeddings.weight").isPresent());
        for (String leaf : List.of("encoder.layer.0", "pool", "classifier")) {
            assertTrue(ModelSplit.before(none, leaf).isPresent(), leaf);
        }
    }

    @Test
    void badInputsAreRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> new BertConfig(10, 1, 3, 4, 5, 6, 2, 1e-12, 0.1, 0.1, 0));
        SpecException e = assertThrows(SpecException.class, () -> ModelLayout.of(new ModelSpec("m", "m.yaml",
                new dev.graft.checkpoint.Dims(3, 4), new dev.graft.model.SequentialLayer("", List.of(
                        new BertEmbeddingsLayer("e", 5, 4, 4, 2, 1e-12, 0, 0))))));
        assertTrue(e.getMessage().contains("bert_embeddings needs token ids [length]"), e.getMessage());
    }

    @Test
    void configJsonErrorsNameTheKey() {
        SpecException act = assertThrows(SpecException.class, () -> BertConfig.parseJson("c.json",
                "{\"hidden_size\": 8, \"hidden_act\": \"gelu_new\"}"));
        assertEquals("c.json: hidden_act 'gelu_new' is not supported, only 'gelu' (bert_layer computes the exact (erf)"
                + " GELU only)", act.getMessage());
        SpecException missing = assertThrows(SpecException.class, () -> BertConfig.parseJson("c.json",
                "{\"hidden_size\": 8}"));
        assertTrue(missing.getMessage().startsWith("c.json: missing '"), missing.getMessage());
        SpecException roberta = assertThrows(SpecException.class, () -> BertConfig.parseJson("c.json",
                "{\"model_type\": \"roberta\"}"));
        assertTrue(roberta.getMessage().contains("model_type 'roberta' is not supported"), roberta.getMessage());
        SpecException heads = assertThrows(SpecException.class, () -> BertConfig.parseJson("c.json",
                "{\"hidden_size\": 10, \"num_attention_heads\": 3, \"vocab_size\": 5, \"num_hidden_layers\": 1,"
                        + " \"intermediate_size\": 4, \"max_position_embeddings\": 8}"));
        assertEquals("c.json: hidden_size 10 is not a multiple of num_attention_heads 3", heads.getMessage());
    }
}
