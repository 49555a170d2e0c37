package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft spec bert:K --config} on a real ONNX export (all-MiniLM-L6-v2): the spec is read
 * off the graph, and {@code plan} then maps the export's tensors one to one, the classifier alone new.
 */
class BertCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void copyModel() throws IOException {
        System.setProperty("graft.home", "..");
        model = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = BertCommandTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, model);
        }
    }

    /**
     * A config with 32 positions (the parity fixture's): without --length the spec takes 32, not the
     * default 128 it cannot hold; a length under 2 (no room for [CLS] and [SEP]) is refused.
     */
    @Test
    void specWithoutLengthFitsTheModelsPositionsAndRefusesUnderTwo() throws IOException {
        Path config = dir.resolve("config.json");
        Files.copy(Path.of("../graft-core/src/test/resources/fixtures/bert/config.json"), config,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CommandLineTest.Run spec = CommandLineTest.run("spec", "bert:2", "--config", config.toString());
        assertEquals(0, spec.code(), spec.err());
        assertTrue(spec.out().contains("input: [32]"), spec.out());
        CommandLineTest.Run one = CommandLineTest.run("spec", "bert:2", "--config", config.toString(), "--length", "1");
        assertEquals(2, one.code(), one.out());
        assertTrue(one.err().contains("--length 1 must be between 2 and"), one.err());
    }

    @Test
    void specReadsTheConfigOffTheOnnxGraphAndPlanMapsItOneToOne() throws IOException {
        CommandLineTest.Run spec = CommandLineTest.run("spec", "bert:3", "--config", model.toString(), "--length", "64");
        assertEquals(0, spec.code(), spec.err());
        Path file = dir.resolve("minilm.yaml");
        Files.writeString(file, spec.out());
        ModelLayout layout = ModelLayout.of(SpecParser.read(file));
        assertEquals(64, layout.spec().input().get(0));
        assertEquals(3, layout.output().get(0));
        assertEquals("classifier", layout.head());
        assertTrue(spec.out().contains("type: bert_layer"), spec.out());

        CommandLineTest.Run plan = CommandLineTest.run("plan", "--source", model.toString(), "--target", file.toString(),
                "--allow-missing", "--json");
        assertEquals(0, plan.code(), plan.err());
        com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(plan.out()).path("tensors");
        assertEquals(103, rows.size());
        int copied = 0;
        for (com.fasterxml.jackson.databind.JsonNode r : rows) {
            String target = r.path("target").asText();
            if (target.startsWith("classifier.")) {
                assertEquals("missing", r.path("origin").asText(), r.toString());
            } else {
                assertEquals(target, r.path("source").asText(), r.toString());
                assertEquals(r.path("total").asLong(), r.path("transferred").asLong(), r.toString());
                copied++;
            }
        }
        assertEquals(101, copied);
        assertEquals("embeddings.position_ids", new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan.out())
                .path("unused_source").get(0).asText());

        CommandLineTest.Run strict = CommandLineTest.run("plan", "--source", model.toString(), "--target", file.toString());
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("2 target tensor(s) have no source tensor and no reinit rule: classifier.weight,"
                + " classifier.bias"), strict.err());
    }

    /**
     * A plan that keeps 6 of MiniLM's 12 heads per layer (the target spec's {@code heads: 6,
     * head_size: 32}), freezes the first kept head of the last layer, and prints which.
     */
    @Test
    void planSelectsHalfOfTheHeadsOfEveryLayerAndSaysWhich() throws IOException {
        CommandLineTest.Run spec = CommandLineTest.run("spec", "bert:2", "--config", model.toString(), "--length", "16");
        assertEquals(0, spec.code(), spec.err());
        assertEquals(6, spec.out().split("heads: 12", -1).length - 1, spec.out());
        Path file = dir.resolve("pruned.yaml");
        Files.writeString(file, spec.out().replace("heads: 12", "heads: 6, head_size: 32"));
        Path rules = dir.resolve("heads.yaml");
        Files.writeString(rules, """
                rules:
                  - {heads: "encoder.layer.5.attention.self", transform: select_units, units: {action: freeze, indices: [0]}}
                  - {heads: "encoder.layer.*.attention.self", transform: select_units}
                  - {match: "classifier.*", mode: reinit}
                """);
        CommandLineTest.Run plan = CommandLineTest.run("plan", "--source", model.toString(), "--target", file.toString(),
                "--rules", rules.toString());
        assertEquals(0, plan.code(), plan.err());
        String q0 = plan.out().lines().filter(l -> l.startsWith("encoder.layer.0.attention.self.query.weight "))
                .findFirst().orElseThrow();
        assertTrue(q0.contains("[192, 384]") && q0.contains("select_units 6/12 heads [")
                && q0.contains("of encoder.layer.0.attention.self by L1 of query, key, value rows"), q0);
        String out5 = plan.out().lines().filter(l -> l.startsWith("encoder.layer.5.attention.output.dense.weight "))
                .findFirst().orElseThrow();
        assertTrue(out5.contains("[384, 192]") && out5.contains("inputs follow encoder.layer.5.attention.self,"
                + " freeze heads [0] of 6 (rule 1)"), out5);

        Files.writeString(rules, "rules: [{heads: 'layer.*.attention.self', transform: select_units}]");
        CommandLineTest.Run none = CommandLineTest.run("plan", "--source", model.toString(), "--target",
                file.toString(), "--rules", rules.toString(), "--allow-missing");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("rule 1 (heads 'layer.*.attention.self') names no module with attention heads"
                + " (such as encoder.layer.0.attention.self)"), none.err());
    }

    @Test
    void bertNeedsItsConfigAndSaysHowToGetASpec() {
        CommandLineTest.Run noConfig = CommandLineTest.run("spec", "bert:2");
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("bert is built from a config: give --config"), noConfig.err());
        CommandLineTest.Run elsewhere = CommandLineTest.run("spec", "resnet18:2", "--pooling", "cls");
        assertEquals(2, elsewhere.code());
        assertTrue(elsewhere.err().contains("--config, --pooling and --length go with bert, not resnet18"),
                elsewhere.err());
        CommandLineTest.Run target = CommandLineTest.run("plan", "--source", model.toString(), "--target", "bert:2");
        assertEquals(2, target.code());
        assertTrue(target.err().contains("bert:2: bert is built from a config; write its spec with graft spec bert:2"
                + " --config"), target.err());
        CommandLineTest.Run list = CommandLineTest.run("spec", "--list");
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("bert ") && l.contains("[128]")), list.out());
    }
}
