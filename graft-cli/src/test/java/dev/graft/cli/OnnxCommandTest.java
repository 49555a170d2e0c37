package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.WeightStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect} and {@code convert} on a real ONNX export, all-MiniLM-L6-v2 (from a test-scope
 * jar): tensors listed under recovered PyTorch names with the naming report, a safetensors copy
 * that holds the same tensors, and a broken .onnx refused in one line with exit 2.
 */
class OnnxCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void copyModel() throws IOException {
        System.setProperty("graft.home", "..");
        model = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = OnnxCommandTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, model);
        }
    }

    @Test
    void inspectListsRecoveredNamesAndSaysHowTheyWereFound() throws IOException {
        CommandLineTest.Run r = CommandLineTest.run("inspect", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(model + " (onnx)"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("encoder\\.layer\\.0\\.intermediate\\.dense\\.weight +F32 +\\[1536, 384] +589824")),
                r.out());
        assertTrue(r.out().contains("102 tensors, 22565888 parameters"), r.out());
        assertTrue(r.out().contains("names (ONNX initializers renamed, or kept, and why):"), r.out());
        assertTrue(r.out().contains("  encoder.layer.0.attention.self.query.weight: renamed from 'onnx::MatMul_"), r.out());
        assertTrue(r.out().contains("  embeddings.position_ids: i64 buffer, not a parameter"), r.out());
        assertTrue(r.out().contains("onnx.opset: ai.onnx 11"), r.out());

        JsonNode json = new ObjectMapper().readTree(CommandLineTest.run("inspect", "--json", model.toString()).out());
        assertEquals("onnx", json.path("format").asText());
        assertEquals(102, json.path("tensors").size());
        assertEquals(37, json.path("names").size());
        assertTrue(json.path("names").get(1).path("file_name").asText().startsWith("onnx::MatMul_"), json.toString());
    }

    @Test
    void convertWritesTheRecoveredTensorsAsSafetensors() {
        Path out = dir.resolve("minilm.safetensors");
        CommandLineTest.Run r = CommandLineTest.run("convert", model.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote 102 tensors to " + out, r.out().strip());
        try (WeightStore onnx = Checkpoints.open(model); WeightStore st = Checkpoints.open(out)) {
            assertEquals(onnx.names(), st.names());
            for (String n : java.util.List.of("encoder.layer.3.output.dense.weight", "embeddings.position_ids",
                    "encoder.layer.3.output.dense.bias")) {
                assertTrue(onnx.read(n).contentEquals(st.read(n)), n);
            }
            assertEquals("6", st.metadata().get("onnx.ir_version"));
        }
    }

    @Test
    void aBrokenOnnxFileIsOneLineAndExitCode2() throws IOException {
        Path bad = dir.resolve("cut.onnx");
        byte[] head = new byte[4096];
        try (InputStream in = Files.newInputStream(model)) {
            in.readNBytes(head, 0, head.length);
        }
        Files.write(bad, head);
        CommandLineTest.Run r = CommandLineTest.run("inspect", bad.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(bad + ": not a valid ONNX (protobuf) file"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
