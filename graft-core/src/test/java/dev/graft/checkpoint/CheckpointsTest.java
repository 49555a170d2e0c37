package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Format detection: every supported format by content, everything else refused by what it looks like. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void supportedFormatsAreDetectedByContent() {
        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(Fixtures.file("mlp.safetensors")));
        assertEquals(Checkpoints.Format.NPZ, Checkpoints.detect(Fixtures.file("mlp.stored.npz")));
        assertEquals(Checkpoints.Format.TORCHSCRIPT, Checkpoints.detect(Fixtures.file("bn_cnn.torchscript.pt")));
    }

    /**
     * Before, anything that was not a zip was read as safetensors, so a YAML spec passed by mistake
     * was "a header length of 7308613580830876014 bytes".
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "spec.yaml  | text:input: [1, 28, 28]\\nlayers: []\\n | looks like YAML text",
        "w.json     | text:{\"a\": 1}                         | looks like JSON text",
        "model.pth  | hex:80027d7100580100000061               | looks like a Python pickle",
        "a.npy      | hex:934e554d5059010076007b27             | single NumPy .npy array",
        "k.h5       | hex:894844460d0a1a0a0000000000           | looks like HDF5",
        "empty.bin  | hex:                                     | the file is empty",
    })
    void otherFilesAreRefusedByWhatTheyLookLike(String name, String content, String expected) throws IOException {
        Path f = dir.resolve(name);
        byte[] bytes = content.startsWith("text:")
                ? content.substring(5).replace("\\n", "\n").getBytes(StandardCharsets.UTF_8)
                : HexFormat.of().parseHex(content.substring(4));
        Files.write(f, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(f));
        assertTrue(e.getMessage().startsWith(f + ": not a checkpoint ("), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().endsWith("Graft reads safetensors, npz, TorchScript and ONNX files"), e.getMessage());
    }
}
