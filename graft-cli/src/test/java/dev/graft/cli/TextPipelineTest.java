package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text task end to end through the command line on a small BERT built from a config.json and the
 * real all-MiniLM-L6-v2 tokenizer: {@code train} writes a source, {@code compare} transfers it under
 * the built-in strategies, {@code search} searches its layer policies, {@code report} rebuilds the page.
 */
class TextPipelineTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("graft.home", "..");
        try (InputStream in = TextPipelineTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        for (String name : List.of("train.csv", "test.csv")) {
            List<String> lines = Files.readAllLines(Path.of("..", "data", "spam", name));
            Files.write(dir.resolve(name), lines.subList(0, name.equals("train.csv") ? 61 : 41));
        }
        Files.writeString(dir.resolve("config.json"), """
                {"hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 32,
                 "vocab_size": 30522, "max_position_embeddings": 32, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                 "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
                 "pad_token_id": 0}
                """);
    }

    private static Path experiment(String name, String extra) throws IOException {
        Path exp = dir.resolve(name + ".yaml");
        Files.writeString(exp, """
                name: %s
                model: {family: bert, config: config.json, num_classes: 2, pooling: mean, input: [16]}
                data:
                  format: text_csv
                  train_images: train.csv
                  test_images: test.csv
                  text: {tokenizer: tokenizer.json, max_length: 16}
                  validation_per_class: 4
                train: {optimizer: adamw, lr: 0.001, epochs: 2, batch_size: 8}
                output: %s
                """.formatted(name, name) + extra);
        return exp;
    }

    @Test
    void aTextTaskRunsThroughTrainCompareSearchAndReport() throws IOException {
        CommandLineTest.Run pre = CommandLineTest.run("train", experiment("pre", "").toString(), "--strategy",
                "scratch", "--quiet");
        assertEquals(0, pre.code(), pre.err());
        Path source = dir.resolve("pre/train/scratch/model.safetensors");
        assertTrue(Files.isRegularFile(source));

        String withSource = "source: {checkpoint: " + source + "}\nshots: [4]\nseeds: [0]\n"
                + "strategies: [head_only, partial, {name: llrd, base: full, train: {layer_decay: 0.8}}]\n";
        CommandLineTest.Run cmp = CommandLineTest.run("compare", experiment("cmp", withSource).toString(), "--quiet");
        assertEquals(0, cmp.code(), cmp.err());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("cmp/results.json").toFile());
        assertEquals(3, results.path("runs").size());
        for (JsonNode run : results.path("runs")) {
            assertTrue(run.path("test").path("accuracy").asDouble() >= 0, run.toString());
        }
        assertTrue(results.path("runs").get(0).path("message").asText().contains("fitted to convergence"),
                results.path("runs").get(0).toString());

        CommandLineTest.Run search = CommandLineTest.run("search", experiment("srch", withSource
                + "search: {trials: 2, sampler: random, shots: 4, genes: {epochs: [2], base_lrs: [0.001]},\n"
                + "  fitness: {method: holdout}, selection: {hand_strategies: false}}\n")
                .toString(), "--quiet");
        assertEquals(0, search.code(), search.err());
        JsonNode found = new ObjectMapper().readTree(dir.resolve("srch/search/results.json").toFile());
        assertEquals(2, found.path("trials").size());
        assertTrue(found.path("best").path("test").path("accuracy").asDouble() >= 0, found.path("best").toString());

        Files.delete(dir.resolve("cmp/report.html"));
        CommandLineTest.Run report = CommandLineTest.run("report", dir.resolve("cmp").toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(dir.resolve("cmp/report.html")).contains("head_only"));
    }

    /** Before: pad_token_id 5 against a tokenizer padding with 0 trained silently; a vocabulary of 100 crashed (exit 1). */
    @Test
    void aModelWhosePadIdOrVocabularyDisagreesWithTheTokenizerIsRefusedBeforeTraining() throws IOException {
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("pad5.json"), config.replace("\"pad_token_id\": 0", "\"pad_token_id\": 5"));
        Files.writeString(dir.resolve("vocab100.json"), config.replace("\"vocab_size\": 30522", "\"vocab_size\": 100"));
        for (String[] c : new String[][] {{"pad5", "pads with id 0 but the model", "masks id 5"},
                {"vocab100", "gives token id", "vocabulary of 100"}}) {
            Path exp = experiment(c[0], "");
            Files.writeString(exp, Files.readString(exp).replace("config: config.json", "config: " + c[0] + ".json"));
            CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--strategy", "scratch", "--quiet");
            assertEquals(2, r.code(), r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(c[1]) && r.err().contains(c[2]) && r.err().contains("tokenizer.json"), r.err());
        }
    }

    /** Before: predicting with a spec whose pad_id differs from the tokenizer's ran and changed the predictions. */
    @Test
    void predictRefusesASpecWhosePadIdDisagreesWithTheTrainingTokenizer() throws IOException {
        CommandLineTest.Run t = CommandLineTest.run("train", experiment("pr", "").toString(), "--strategy", "scratch",
                "--quiet");
        assertEquals(0, t.code(), t.err());
        CommandLineTest.Run spec = CommandLineTest.run("spec", "bert:2", "--config", dir.resolve("config.json").toString(),
                "--length", "16");
        assertEquals(0, spec.code(), spec.err());
        Path bad = Files.writeString(dir.resolve("pad5.yaml"), spec.out().replace("pad_id: 0", "pad_id: 5"));
        assertTrue(Files.readString(bad).contains("pad_id: 5"), "the spec names its pad id");
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", bad.toString(), "--weights",
                dir.resolve("pr/train/scratch/model.safetensors").toString(), dir.resolve("test.csv").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("pads with id 0") && r.err().contains("masks id 5"), r.err());
    }
}
