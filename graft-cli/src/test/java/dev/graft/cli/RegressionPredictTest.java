package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression from the shipped example through {@code graft train} and {@code predict}: predict's values on the test file give back training's own test RMSE, MAE and
 * R² (recomputed here from the written CSV), with and without the target column.
 */
class RegressionPredictTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void predictWritesValuesThatReproduceTrainingsTestMetrics() throws Exception {
        Path exp = dir.resolve("ink.yaml");
        Files.writeString(exp, CliFixtures.shippedExample(dir, "fashion-ink", "epochs: 40", "epochs: 5"));
        CommandLineTest.Run t = CommandLineTest.run("train", exp.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("target: 'ink', real values (task: regression, loss huber"), t.out());
        JsonNode test = new ObjectMapper().readTree(dir.resolve("out/train/scratch/results.json").toFile())
                .path("run").path("test").path("regression");
        Path weights = dir.resolve("out/train/scratch/model.safetensors");
        Path csv = CliFixtures.EXAMPLES.resolve("data/fashion-ink/test.csv");
        Path out = dir.resolve("pred.csv");
        String spec = CliFixtures.EXAMPLES.resolve("specs/ink-mlp.yaml").toString();
        CommandLineTest.Run p = CommandLineTest.run("predict", "--model", spec, "--weights", weights.toString(),
                csv.toString(), "--out", out.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains(String.format(Locale.ROOT, "RMSE %.4g", test.path("rmse").asDouble())),
                p.out() + " vs " + test.path("rmse"));
        List<String> rows = Files.readAllLines(out);
        assertEquals("index,target,predicted", rows.get(0));
        assertEquals(201, rows.size());
        List<String> file = Files.readAllLines(csv);
        double sse = 0;
        double sae = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            String line = file.get(i);
            // the target column as the data file wrote it
            assertEquals(Double.parseDouble(line.substring(line.lastIndexOf(',') + 1)), Double.parseDouble(f[1]), 1e-6);
            double e = Double.parseDouble(f[1]) - Double.parseDouble(f[2]);
            sse += e * e;
            sae += Math.abs(e);
        }
        assertEquals(test.path("rmse").asDouble(), Math.sqrt(sse / 200), 1e-5);
        assertEquals(test.path("mae").asDouble(), sae / 200, 1e-5);

        // without the target column: the same values, no metrics
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, file.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Path out2 = dir.resolve("pred2.csv");
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", spec, "--weights", weights.toString(),
                bare.toString(), "--out", out2.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.out().contains("predicted ink: mean"), u.out());
        List<String> rows2 = Files.readAllLines(out2);
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(rows.get(i).split(",")[2], rows2.get(i).split(",", -1)[2]);
            assertEquals("", rows2.get(i).split(",", -1)[1]);
        }
    }
}
