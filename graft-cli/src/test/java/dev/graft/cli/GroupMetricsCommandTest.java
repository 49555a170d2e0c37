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
 * {@code data.groups} end to end: {@code graft compare} on the shipped tiny CSV example with its
 * cultivars in two groups writes per-group numbers that agree with the overall ones, prints the
 * worst group and the gap, and reports them; a search for the worst group without groups is refused.
 */
class GroupMetricsCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    private Path example(String extra) throws IOException {
        String text = CliFixtures.shippedExample(dir, "tiny-csv", "epochs: 40", "epochs: 10",
                "  normalize: {auto: true}\n", "  normalize: {auto: true}\n" + extra);
        Path exp = dir.resolve("tiny-csv.yaml");
        Files.writeString(exp, text + "strategies: [scratch]\nseeds: [0, 1]\n");
        return exp;
    }

    @Test
    void compareWritesPerGroupMetricsConsistentWithTheOverallAccuracy() throws IOException {
        Path exp = example("  validation_per_class: 3\n"
                + "  groups: {by_class: {old_vines: [barolo], young_vines: [barbera, grignolino]}}\n");
        CommandLineTest.Run r = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("worst group") && r.out().contains("gap"), r.out());
        JsonNode runs = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).path("runs");
        assertEquals(2, runs.size());
        for (JsonNode run : runs) {
            JsonNode test = run.path("test");
            JsonNode groups = test.path("groups");
            assertEquals(2, groups.path("groups").size(), groups.toString());
            int total = 0;
            double weighted = 0;
            double worst = 1;
            double best = 0;
            for (JsonNode g : groups.path("groups")) {
                total += g.path("count").asInt();
                weighted += g.path("count").asInt() * g.path("accuracy").asDouble();
                worst = Math.min(worst, g.path("accuracy").asDouble());
                best = Math.max(best, g.path("accuracy").asDouble());
                assertTrue(g.has("macro_f1"), g.toString());
            }
            // the test file's 30 rows: 10 of each cultivar, barolo alone in old_vines
            assertEquals(30, total);
            assertEquals("old_vines", groups.path("groups").get(0).path("name").asText());
            assertEquals(10, groups.path("groups").get(0).path("count").asInt());
            assertEquals(test.path("accuracy").asDouble(), weighted / total, 1e-9);
            assertEquals(worst, groups.path("worst_accuracy").asDouble(), 1e-12);
            assertEquals(best - worst, groups.path("gap").asDouble(), 1e-12);
            // the validation split (3 per class) is measured by group too
            JsonNode validation = run.path("validation_groups").path("groups");
            assertEquals(3, validation.get(0).path("count").asInt() , validation.toString());
            assertEquals(6, validation.get(1).path("count").asInt());
        }
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("Per-group metrics") && html.contains("young_vines"), "report has the group table");
    }

    @Test
    void theWorstGroupObjectiveNeedsGroups() throws IOException {
        Path exp = example("  validation_per_class: 3\n");
        Files.writeString(exp, Files.readString(exp) + "search: {sampler: random, trials: 1, objectives: [worst_group]}\n");
        CommandLineTest.Run r = CommandLineTest.run("search", exp.toString(), "--quiet");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("search.objectives: 'worst_group' needs data.groups"), r.err());
    }
}
