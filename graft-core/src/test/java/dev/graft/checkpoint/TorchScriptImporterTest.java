package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.graft.engine.Engines;
import dev.graft.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptImporterTest {
    @TempDir
    Path dir;

    @Test
    void parametersMatchThePyTorchStateDictAndExportToSafetensors() throws IOException {
        assertEquals(Checkpoints.Format.TORCHSCRIPT, Checkpoints.detect(Fixtures.file("mlp.torchscript.pt")));
        try (MemoryWeightStore ts = TorchScriptImporter.load(Fixtures.file("mlp.torchscript.pt"));
                SafetensorsFile sd = SafetensorsFile.open(Fixtures.file("mlp.safetensors"))) {
            List<String> trainable = sd.names().stream()
                    .filter(n -> n.endsWith(".weight") || n.endsWith(".bias")).toList();
            assertEquals(trainable, ts.names(), "parameters, in module order (buffers are not exposed)");
            for (String n : trainable) {
                assertArrayEquals(sd.read(n).toFloats(), ts.read(n).toFloats(), 0f, n);
            }
            Path out = dir.resolve("exported.safetensors");
            SafetensorsWriter.write(out, ts.tensors(), ts.metadata());
            try (SafetensorsFile back = SafetensorsFile.open(out)) {
                assertEquals(trainable, back.names());
                assertTrue(back.read("fc1.weight").contentEquals(ts.read("fc1.weight")));
            }
        }
    }

    @Test
    void aZipThatIsNotTorchScriptIsACheckpointError() throws IOException {
        Path f = dir.resolve("fake.pt");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            z.write(new byte[] {1, 2, 3});
            z.closeEntry();
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void halfTypesReachTheEngineAsFloat32() {
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.file("dtypes.safetensors"));
                NDManager m = Engines.pytorch().newBaseManager()) {
            for (String n : List.of("bf16", "f16", "i64", "u8", "bool")) {
                NDArray a = EngineTensors.toNDArray(m, f.read(n));
                assertArrayEquals(f.read(n).toFloats(), a.toType(DataType.FLOAT32, false).toFloatArray(), 0f, n);
                if (n.endsWith("16")) {
                    assertEquals(DataType.FLOAT32, a.getDataType());
                }
            }
        }
    }
}
