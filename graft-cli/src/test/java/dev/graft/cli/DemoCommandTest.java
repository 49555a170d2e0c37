package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path home;

    @AfterEach
    void restore() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void theTextDemoWithoutItsFetchedModelSaysHowToGetItInOneLine() throws IOException {
        Files.createDirectories(home.resolve("examples"));
        System.setProperty("graft.home", home.toString());
        CommandLineTest.Run r = CommandLineTest.run("demo", "text");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("graft-out/models/all-minilm-l6-v2/model.onnx: not found")
                && r.err().contains("./graft demo text"), r.err());
    }

    @Test
    void anUnknownDemoNamesTheKnownOnes() {
        CommandLineTest.Run r = CommandLineTest.run("demo", "audio");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("unknown demo 'audio' (known: fashion, text)"), r.err());
    }

    @Test
    void theShippedTextExperimentNamesTheFilesTheScriptFetches() throws IOException {
        String exp = Files.readString(Path.of("..", "examples", "experiments", "spam-minilm.yaml"));
        String script = Files.readString(Path.of("..", "graft"));
        assertTrue(exp.contains("graft-out/models/all-minilm-l6-v2/model.onnx")
                && exp.contains("graft-out/models/all-minilm-l6-v2/tokenizer.json"));
        assertTrue(script.contains("MINILM=\"$ROOT/graft-out/models/all-minilm-l6-v2\"")
                && script.contains("model.onnx") && script.contains("tokenizer.json"));
    }
}
