package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data faults end to end (issue 12): wrong numbers must not come out with exit 0, and a bad or
 * hostile data file is exit 2 with one line naming the file, and no output.
 */
class DataInputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    /** A linear model on one-hot features: it learns the classes exactly. */
    private Path experiment(String data) throws IOException {
        Files.writeString(dir.resolve("spec.yaml"), "name: onehot\ninput: [3]\nlayers:\n"
                + "  - {name: head, type: linear, out: 3}\n");
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: labels
                model: spec.yaml
                output: %s
                train: {optimizer: adam, lr: 0.5, epochs: 60, batch_size: 30}
                data: %s
                """.formatted(dir.resolve("out"), data));
        return exp;
    }

    private void csv(String name, String... labels) throws IOException {
        StringBuilder s = new StringBuilder("a,b,c,label\n");
        for (String l : labels) {
            s.append(switch (l) {
                case "ant" -> "1,0,0";
                case "bee" -> "0,1,0";
                default -> "0,0,1";
            }).append(',').append(l).append('\n');
        }
        Files.writeString(dir.resolve(name), s);
    }

    @Test
    void aPerfectModelScoresOneOnATestFileThatLacksAClass() throws IOException {
        String[] train = new String[30];
        for (int i = 0; i < train.length; i++) {
            train[i] = new String[] {"ant", "bee", "cat"}[i % 3];
        }
        csv("train.csv", train);
        csv("test.csv", "ant", "cat", "cat");
        Path exp = experiment("{format: csv, train_images: train.csv, test_images: test.csv}");
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test: accuracy 1.0000"), r.out());
        assertTrue(r.out().matches("(?s).*ant .*bee .*cat .*"), "classes in training order: " + r.out());
        JsonNode test = new ObjectMapper().readTree(dir.resolve("out/train/scratch/results.json").toFile()).path("run").path("test");
        assertEquals(1.0, test.path("accuracy").asDouble());
        assertEquals("[[1,0,0],[0,0,0],[0,0,2]]", test.path("confusion").toString());
    }

    /**
     * Issue 15: the run's output says what Graft made of the data, before the numbers it led to:
     * the classes found and the normalization used (per feature for a CSV, from the training pool).
     */
    @ParameterizedTest
    @ValueSource(strings = {"train", "compare"})
    void theRunPrintsTheClassesFoundAndTheNormalizationUsed(String command) throws IOException {
        String[] train = new String[30];
        for (int i = 0; i < train.length; i++) {
            train[i] = new String[] {"ant", "bee", "cat"}[i % 3];
        }
        csv("train.csv", train);
        csv("test.csv", "ant", "cat");
        Path exp = experiment("{format: csv, train_images: train.csv, test_images: test.csv, normalize: {auto: true}}"
                + "\nstrategies: [scratch]");
        CommandLineTest.Run r = CommandLineTest.run(command, exp.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("data: 30 training samples from " + dir.resolve("train.csv") + "; 2 test samples from "
                + dir.resolve("test.csv")), r.out());
        assertTrue(lines.contains("classes: 3 found: ant, bee, cat"), r.out());
        assertTrue(lines.contains("note: the test set has no samples of 'bee' (class 1)"), r.out());
        // each one-hot column is 1 in a third of the rows: mean 1/3, sd sqrt(2)/3
        assertTrue(lines.contains("normalization: per feature (3 features), computed on the 30 training-pool samples"
                + " (auto; never the test set): mean [0.3333, 0.3333, 0.3333], std [0.4714, 0.4714, 0.4714]"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unseen", "nan", "fields", "std", "bomb", "shots"})
    void badDataIsOneLineAndExitCode2(String kind) throws IOException {
        csv("train.csv", "ant", "bee", "cat");
        csv("test.csv", "ant", "dog");
        String data = "{format: csv, train_images: train.csv, test_images: test.csv}";
        String file = dir.resolve("test.csv") + ": line 3: label 'dog' is not a training class (ant, bee, cat)";
        switch (kind) {
            case "nan" -> {
                Files.writeString(dir.resolve("test.csv"), "a,b,c,label\n1,0,0,ant\n0,NaN,1,cat\n");
                file = dir.resolve("test.csv") + ": line 3, column 2: 'NaN' is not a finite number";
            }
            case "fields" -> {
                Files.writeString(dir.resolve("train.csv"), "a,b,c,label\n1,0,0,9,ant\n0,1,0,9,bee\n");
                file = dir.resolve("train.csv") + ": line 2 has 5 fields, the header names 4";
            }
            case "std" -> {
                csv("test.csv", "ant");
                data = "{format: csv, train_images: train.csv, test_images: test.csv,"
                        + " normalize: {mean: [0, 0, 0], std: [1, 0, 1]}}";
                file = "data.normalize.std[1]: must be a positive finite number, got 0.0";
            }
            case "bomb" -> {
                int n = 2_700_000;
                gz(dir.resolve("l.gz"), ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n).array());
                gz(dir.resolve("i.gz"), ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
                data = "{train_images: i.gz, train_labels: l.gz}";
                file = dir.resolve("i.gz") + ": too large (2700000 images of 28×28";
            }
            case "shots" -> {
                csv("train.csv", "ant", "bee", "cat", "ant", "cat");
                data = "{format: csv, train_images: train.csv}\nshots: [2]";
                file = dir.resolve("exp.yaml") + ": shots: class 'bee' (class 1) has 1 sample in the training data "
                        + dir.resolve("train.csv") + ", fewer than 2";
            }
            default -> { }
        }
        Path exp = experiment(data);
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(r.err().contains(file), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    private static void gz(Path p, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
    }
}
