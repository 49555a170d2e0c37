package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search objective {@code robustness} end to end on the shipped tiny CSV example: under an
 * attack of ε = 0 it is exactly the validation accuracy the target objective records (the same
 * kept weights on the same samples), under a real attack it is never above it, and without a
 * {@code robustness} section it is refused in one line.
 */
class RobustnessObjectiveTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    /** The tiny CSV task, with a source pre-trained on its own pool (policies transfer weights). */
    private Path example(String extra) throws IOException {
        return example(extra, "out");
    }

    private Path example(String extra, String out) throws IOException {
        String data = """
                  format: csv
                  train_images: %1$s/data/tiny-csv/train.csv
                  test_images: %1$s/data/tiny-csv/test.csv
                  csv: {label: cultivar}
                  normalize: {auto: true}
                """.formatted(CliFixtures.EXAMPLES);
        Path exp = dir.resolve(out + ".yaml");
        Files.writeString(exp, "name: tiny-csv\nmodel: " + CliFixtures.EXAMPLES.resolve("specs/tiny-mlp.yaml")
                + "\noutput: " + dir.resolve(out) + "\ndata:\n" + data + "  validation_per_class: 3\n"
                + "source: {pretrain: {data: {" + data.strip().replace("\n", ", ").replace(" ,", ",")
                + "}, train: {lr: 0.01, epochs: 10, batch_size: 12}}}\n"
                + "train: {optimizer: adam, lr: 0.01, epochs: 5, batch_size: 12}\n"
                + "search: {sampler: random, trials: 3, objectives: [target, robustness], genes: {epochs: [5]}}\n"
                + extra);
        return exp;
    }

    private String journal(String out) {
        try {
            return Files.readString(dir.resolve(out + "/search/search.jsonl"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private JsonNode search(String extra, String out) throws IOException {
        CommandLineTest.Run r = CommandLineTest.run("search", example(extra, out).toString(), "--quiet");
        assertEquals(0, r.code(), () -> r.err() + journal(out));
        return new ObjectMapper().readTree(dir.resolve(out + "/search/results.json").toFile());
    }

    @Test
    void atEpsilonZeroRobustnessIsTheTargetAccuracyAndBelowItUnderAttack() throws IOException {
        JsonNode none = search("robustness: {attack: pgd, eps: 0}\n", "none");
        int seen = 0;
        for (JsonNode t : none.path("trials")) {
            JsonNode o = t.path("objectives");
            if (o.has("robustness")) {
                assertEquals(o.path("target").asDouble(), o.path("robustness").asDouble(), 1e-12, t.toString());
                seen++;
            }
        }
        assertTrue(seen >= 1, none.toString());
        JsonNode attacked = search("robustness: {attack: fgsm, eps: 1.0}\n", "attacked");
        boolean lower = false;
        for (JsonNode t : attacked.path("trials")) {
            JsonNode o = t.path("objectives");
            if (o.has("robustness")) {
                double robust = o.path("robustness").asDouble();
                assertTrue(robust >= 0 && robust <= o.path("target").asDouble(), t.toString());
                lower |= robust < o.path("target").asDouble();
                // the energy the samplers maximize: (1 − target) + (1 − robustness), weights 1
                assertEquals(-((1 - o.path("target").asDouble()) + (1 - robust)), t.path("value").asDouble(), 1e-9);
            }
        }
        assertTrue(lower, "an attack of one standard deviation per feature costs some validation accuracy: "
                + attacked.path("trials"));
    }

    @Test
    void theRobustnessObjectiveNeedsARobustnessSection() throws IOException {
        CommandLineTest.Run r = CommandLineTest.run("search", example("").toString(), "--quiet");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("search.objectives: 'robustness' needs a 'robustness' section"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
