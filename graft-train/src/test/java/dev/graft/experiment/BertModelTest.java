package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.model.ModelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An experiment's {@code model: {family: bert, config: ...}}: the config found beside the experiment file. */
class BertModelTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeConfig() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/config.json"), """
                {"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
                 "intermediate_size": 16, "vocab_size": 30, "max_position_embeddings": 40, "hidden_act": "gelu",
                 "hidden_dropout_prob": 0.2}
                """);
    }

    private static ModelLayout layout(String model) {
        ExperimentConfig c = ExperimentLoader.parse("e.yaml", "name: t\nmodel: " + model + "\n");
        return ExperimentModel.layout(c.model(), dir, "e.yaml");
    }

    private static String error(String model) {
        return assertThrows(GraftInputException.class, () -> layout(model)).getMessage();
    }

    @Test
    void bertIsBuiltFromItsConfigRelativeToTheExperiment() {
        ModelLayout l = layout("{family: bert, config: models/config.json, num_classes: 4, input: [24]}");
        assertEquals(new Dims(24), l.spec().input());
        assertEquals(new Dims(4), l.output());
        assertEquals("classifier", l.head());
        assertEquals("embeddings.word_embeddings.weight", l.params().get(0).name());
        assertTrue(l.param("encoder.layer.1.output.LayerNorm.bias").isPresent());
        assertTrue(l.param("pooler.dense.weight").isEmpty(), "mean pooling by default");
        assertEquals(0.2, ((dev.graft.model.DropoutLayer) l.spec().root().layers().get(3)).p(), "hidden_dropout_prob");
    }

    @Test
    void poolingPicksThePoolerOrCls() {
        assertTrue(layout("{family: bert, config: models/config.json, num_classes: 2, input: [8], pooling: pooler}")
                .param("pooler.dense.weight").isPresent());
        assertEquals(new Dims(2), layout("{family: bert, config: models/config.json, num_classes: 2, input: [8],"
                + " pooling: CLS}").output());
    }

    @Test
    void badBertModelsSayWhichKeyIsWrong() {
        assertTrue(error("{family: bert, num_classes: 2}").contains("family bert needs config"), "config");
        assertTrue(error("{family: bert, config: models/config.json, num_classes: 2}").contains(
                "e.yaml: model.input: [128] is longer than " + dir.resolve("models/config.json")
                        + "'s max_position_embeddings 40 (128 is the default)"), "default length");
        assertTrue(error("{family: bert, config: models/config.json, num_classes: 2, input: [3, 8]}").contains(
                "e.yaml: model.input: must be [L]"), "input");
        assertTrue(error("{family: bert, config: models/config.json, num_classes: 2, input: [8], pooling: max}")
                .contains("e.yaml: model.pooling: 'max' is none of mean, cls, pooler"), "pooling");
        assertTrue(error("{family: resnet18, num_classes: 2, config: models/config.json}").contains(
                "config and pooling go with family: bert, not resnet18"), "config elsewhere");
        assertTrue(error("{family: bert, config: models/none.json, num_classes: 2}").contains(
                "none.json: cannot read the BERT config: no such file"), "missing file");
        assertTrue(error("{family: bertt, num_classes: 2}").contains("(known: resnet18"), "unknown");
        assertTrue(error("{family: bertt, num_classes: 2}").endsWith(", bert)"), "bert is listed");
    }
}
