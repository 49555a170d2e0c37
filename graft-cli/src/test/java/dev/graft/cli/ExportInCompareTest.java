package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment key {@code export} end to end on the shipped tiny CSV example: {@code graft compare}
 * gains the ONNX size, the exported file's accuracy and latency under ONNX Runtime and Graft's
 * milliseconds per sample in its table, results.json and report;
 * the size is that of the file {@code graft export} writes for the same trained weights (up to
 * the provenance metadata, which names another file); without the key nothing changes.
 */
class ExportInCompareTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    private Path example(String extra) throws IOException {
        String text = CliFixtures.shippedExample(dir, "tiny-csv", "epochs: 40", "epochs: 5");
        Path exp = dir.resolve("tiny-csv.yaml");
        Files.writeString(exp, text + "strategies: [scratch]\nseeds: [0, 1]\n" + extra);
        return exp;
    }

    @Test
    void compareReportsTheExportedSizeAndGraftsLatency() throws IOException {
        Path exp = example("export: {int8: true}\n");
        CommandLineTest.Run r = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ONNX size (int8)") && r.out().contains("Graft ms/sample"), r.out());
        assertTrue(r.out().contains("ONNX accuracy") && r.out().contains("ONNX ms/sample"), r.out());
        JsonNode root = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        for (JsonNode run : root.path("runs")) {
            JsonNode d = run.path("deployment");
            assertTrue(d.path("int8").asBoolean(), d.toString());
            // tiny-mlp: 3·16 + 16·3 = 96 int8 weights, 19 biases, 19 scales, 19 zero points; names and metadata
            assertTrue(d.path("export_bytes").asLong() > 96 + 4 * 19 + 4 * 19 + 19, d.toString());
            assertTrue(d.path("inference_ms").asDouble() > 0, d.toString());
            assertTrue(d.path("onnx_ms").asDouble() > 0, d.toString());
            // int8 rounding moves few decisions of a 3-feature task: within 5 points of the float model
            assertEquals(run.path("test").path("accuracy").asDouble(), d.path("onnx_accuracy").asDouble(), 0.05,
                    d.toString());
        }
        assertEquals(2, root.path("summary").get(0).path("export_bytes").path("n").asInt());
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("ONNX size (int8)") && html.contains("ONNX Runtime on one thread"),
                "the report's column and its note");
    }

    @Test
    void theSizeIsThatOfTheFileGraftExportWritesAndTheKeyIsOffByDefault() throws IOException {
        Path exp = example("export: {int8: false}\n");
        CommandLineTest.Run train = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(0, train.code(), train.err());
        Path folder;
        try (Stream<Path> s = Files.list(dir.resolve("out/train"))) {
            folder = s.findFirst().orElseThrow();
        }
        JsonNode run = new ObjectMapper().readTree(folder.resolve("results.json").toFile()).path("run");
        long measured = run.path("deployment").path("export_bytes").asLong();
        // ONNX Runtime runs the float file to Graft's own decisions
        assertEquals(run.path("test").path("accuracy").asDouble(), run.path("deployment").path("onnx_accuracy")
                .asDouble(), 1e-12, run.toString());
        Path onnx = dir.resolve("model.onnx");
        CommandLineTest.Run export = CommandLineTest.run("export", "--model",
                CliFixtures.EXAMPLES.resolve("specs/tiny-mlp.yaml").toString(), "--weights",
                folder.resolve("model.safetensors").toString(), "--out", onnx.toString());
        assertEquals(0, export.code(), export.err());
        // only the provenance differs: the weights' file name and SHA-256 against the experiment's source
        assertTrue(Math.abs(Files.size(onnx) - measured) <= 100, "graft export wrote " + Files.size(onnx)
                + " bytes, the run measured " + measured);
        Files.writeString(exp, Files.readString(exp).replace("export: {int8: false}\n", ""));
        CommandLineTest.Run plain = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.out().contains("ONNX") || plain.out().contains("ms/sample"), plain.out());
        assertTrue(new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).path("runs").get(0)
                .path("deployment").isNull(), "no deployment figures without the key");
    }
}
