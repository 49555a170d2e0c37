package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: an experiment whose source was saved under other names (a DataParallel
 * {@code module.} prefix) and whose plan renames them; a built-in strategy then decides the
 * modes. Before, {@code --strategy head_only} ignored the plan and found no source tensor.
 */
class PlanAndStrategyTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void aBuiltInStrategyTrainsOnTopOfTheExperimentsRenamingPlan() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(root.resolve("examples/checkpoints/fashion-source.safetensors"))) {
            for (String n : f.names()) {
                renamed.put("module." + n, f.read(n));
            }
            SafetensorsWriter.write(dir.resolve("parallel.safetensors"), renamed, Map.of());
        }
        Files.writeString(dir.resolve("plan.yaml"), "rules: [{regex: '(.*)', source: 'module.$1'}]\n");
        Path exp = CliFixtures.experiment(dir, "renamed", "train: {epochs: 1, batch_size: 50}\nplan: plan.yaml\n");
        Files.writeString(exp, Files.readString(exp).replaceAll("(?m)^source: .*$",
                "source: {checkpoint: parallel.safetensors}"));
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--strategy", "head_only", "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode layers = new ObjectMapper().readTree(dir.resolve("out/train/head_only/results.json").toFile())
                .path("run").path("transfer");
        assertEquals("frozen", layers.get(0).path("decision").asText(), layers.toString());
        assertEquals("re-initialized", layers.get(layers.size() - 1).path("decision").asText(), layers.toString());
        assertTrue(r.out().contains("test: accuracy"), r.out());
    }
}
