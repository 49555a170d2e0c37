package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft predict} on a model trained on texts (issue 14): the checkpoint records the
 * tokenizer.json (path and SHA-256), max_length and the text column, so predicting the test file
 * gives training's own test accuracy and confusion matrix; texts without labels are predicted the
 * same; a tokenizer that moved is named with --tokenizer, and one that changed is refused. The
 * model is a linear layer on raw token ids: meaningless as a classifier, exact as a check that
 * predict feeds it the very ids training did.
 */
class TextPredictTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    private Path tokenizer() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        try (InputStream in = TextPredictTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    /** The first {@code n} rows of a shipped data/spam file (each a single line there). */
    private Path spam(String name, int n) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "data", "spam", name));
        Path f = dir.resolve(name);
        Files.write(f, lines.subList(0, n + 1));
        return f;
    }

    @Test
    void aTextModelPredictsItsTestFileAsTrainingMeasuredIt() throws IOException {
        Path tok = tokenizer();
        spam("train.csv", 40);
        Path test = spam("test.csv", 30);
        Files.writeString(dir.resolve("ids.yaml"), "name: ids\ninput: [16]\nlayers:\n  - {name: head, type: linear, out: 2}\n");
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, "name: text\nmodel: ids.yaml\noutput: out\n"
                + "data: {format: text_csv, train_images: train.csv, test_images: test.csv, "
                + "text: {tokenizer: tokenizer.json, max_length: 16}}\n"
                + "train: {optimizer: sgd, lr: 0.000001, epochs: 2, batch_size: 8}\n");
        CommandLineTest.Run t = CommandLineTest.run("train", exp.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("text: column 'text' tokenized by " + tok.toAbsolutePath() + " (sha256 "), t.out());
        String weights = dir.resolve("out/train/scratch/model.safetensors").toString();
        String spec = dir.resolve("ids.yaml").toString();
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("out/train/scratch/results.json").toFile())
                .path("run").path("test");
        Path out = dir.resolve("p.csv");
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", spec, "--weights", weights, test.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f",
                truth.path("accuracy").asDouble())), r.out() + " vs " + truth);
        List<String> rows = Files.readAllLines(out);
        int[][] confusion = new int[2][2];
        List<String> classes = List.of("ham", "spam");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            confusion[classes.indexOf(f[1])][classes.indexOf(f[2])]++;
        }
        assertEquals(truth.path("confusion").toString(), new ObjectMapper().valueToTree(confusion).toString());

        // the texts alone: the training format without the label column
        Path texts = dir.resolve("texts.csv");
        Files.write(texts, Files.readAllLines(test).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Path out2 = dir.resolve("p2.csv");
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", spec, "--weights", weights, texts.toString(),
                "--out", out2.toString());
        assertEquals(0, u.code(), u.err());
        List<String> rows2 = Files.readAllLines(out2);
        assertEquals(rows.size(), rows2.size());
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(rows.get(i).split(",", 3)[2], rows2.get(i).split(",", 3)[2], "row " + i);
        }

        // the tokenizer moved: named with --tokenizer; changed: refused in one line, exit 2
        Path moved = Files.createDirectories(dir.resolve("moved")).resolve("tokenizer.json");
        Files.move(tok, moved);
        CommandLineTest.Run gone = CommandLineTest.run("predict", "--model", spec, "--weights", weights, texts.toString());
        assertEquals(2, gone.code());
        assertEquals(1, gone.err().lines().count(), gone.err());
        assertTrue(gone.err().contains(tok.toAbsolutePath() + ": no such file (the tokenizer this model was trained "
                + "with)"), gone.err());
        assertEquals(0, CommandLineTest.run("predict", "--model", spec, "--weights", weights, texts.toString(),
                "--tokenizer", moved.toString()).code());
        Files.writeString(moved, Files.readString(moved).replace("\"[UNK]\"", "\"[unk]\""));
        CommandLineTest.Run changed = CommandLineTest.run("predict", "--model", spec, "--weights", weights,
                texts.toString(), "--tokenizer", moved.toString());
        assertEquals(2, changed.code());
        assertEquals(1, changed.err().lines().count(), changed.err());
        assertTrue(changed.err().contains(moved.toAbsolutePath() + ": not the tokenizer this model was trained with"),
                changed.err());
    }

    @Test
    void aJsonLinesModelPredictsTextsWithoutTheLabelField() throws IOException {
        tokenizer();
        Files.writeString(dir.resolve("train.jsonl"), "{\"body\": \"hello world\", \"kind\": \"a\"}\n"
                + "{\"body\": \"good bye\", \"kind\": \"b\"}\n".repeat(2) + "{\"body\": \"hello\", \"kind\": \"a\"}\n");
        Files.writeString(dir.resolve("ids.yaml"), "name: ids\ninput: [8]\nlayers:\n  - {name: head, type: linear, out: 2}\n");
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, "name: text\nmodel: ids.yaml\noutput: out\n"
                + "data: {format: text_jsonl, train_images: train.jsonl, "
                + "text: {tokenizer: tokenizer.json, max_length: 8, text: body, label: kind}}\n"
                + "train: {optimizer: sgd, lr: 0.000001, epochs: 1}\n");
        assertEquals(0, CommandLineTest.run("train", exp.toString(), "--quiet").code());
        String weights = dir.resolve("out/train/scratch/model.safetensors").toString();
        Path texts = dir.resolve("new.jsonl");
        Files.writeString(texts, "{\"body\": \"hello there\"}\n{\"body\": \"\"}\n");
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", dir.resolve("ids.yaml").toString(),
                "--weights", weights, texts.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.out().startsWith("2 samples of " + texts), u.out());
        Path labelled = dir.resolve("labelled.jsonl");
        Files.writeString(labelled, "{\"body\": \"hello there\", \"kind\": \"a\"}\n{\"body\": \"x\", \"kind\": \"c\"}\n");
        CommandLineTest.Run l = CommandLineTest.run("predict", "--model", dir.resolve("ids.yaml").toString(),
                "--weights", weights, labelled.toString());
        assertEquals(2, l.code());
        assertTrue(l.err().contains(labelled + ": line 2: label 'c' is not a training class (a, b)"), l.err());
    }
}
