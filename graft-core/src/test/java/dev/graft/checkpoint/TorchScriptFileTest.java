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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptFileTest {
    @TempDir
    Path dir;

    @Test
    void parametersAndBuffersMatchThePyTorchStateDictAndExportToSafetensors() throws IOException {
        assertEquals(Checkpoints.Format.TORCHSCRIPT, Checkpoints.detect(Fixtures.file("mlp.torchscript.pt")));
        try (WeightStore ts = Checkpoints.open(Fixtures.file("mlp.torchscript.pt"));
                SafetensorsFile sd = SafetensorsFile.open(Fixtures.file("mlp.safetensors"))) {
            assertEquals(sd.names(), ts.names(), "parameters and buffers, in state_dict order");
            for (String n : sd.names()) {
                assertTrue(sd.read(n).contentEquals(ts.read(n)), n);
            }
            Path out = dir.resolve("exported.safetensors");
            Map<String, Tensor> all = new LinkedHashMap<>();
            ts.names().forEach(n -> all.put(n, ts.read(n)));
            SafetensorsWriter.write(out, all, ts.metadata());
            try (SafetensorsFile back = SafetensorsFile.open(out)) {
                assertEquals(sd.names(), back.names());
                assertTrue(back.read("bn.running_var").contentEquals(sd.read("bn.running_var")));
            }
        }
    }

    /**
     * A scripted CNN with BatchNorm: the truth is {@code torch.jit.load(f).state_dict()}, written by
     * tools/make_fixtures.py. Before, the engine exposed its 8 parameters of 15 tensors and the running
     * statistics were silently dropped.
     */
    @Test
    void aScriptedBatchNormCnnKeepsItsRunningStatisticsCountersAndStridedViews() {
        try (WeightStore ts = Checkpoints.open(Fixtures.file("bn_cnn.torchscript.pt"));
                SafetensorsFile truth = SafetensorsFile.open(Fixtures.file("bn_cnn.state_dict.safetensors"))) {
            assertEquals(truth.names(), ts.names());
            assertEquals(15, ts.names().size());
            for (String n : truth.names()) {
                assertEquals(truth.info(n).dtype(), ts.info(n).dtype(), n);
                assertEquals(truth.info(n).dims(), ts.info(n).dims(), n);
                assertTrue(truth.read(n).contentEquals(ts.read(n)), n);
            }
            assertEquals(DType.I64, ts.info("features.1.num_batches_tracked").dtype());
            assertTrue(ts.read("features.1.num_batches_tracked").data().getLong(0) > 0);
            assertEquals(DType.F16, ts.info("scale").dtype());
        }
    }

    @Test
    void aStorageRecordTooSmallForItsTensorIsACheckpointErrorNamingTheTensor() throws IOException {
        Path f = dir.resolve("short.pt");
        try (var in = new java.util.zip.ZipFile(Fixtures.file("bn_cnn.torchscript.pt").toFile());
                var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            for (var e : java.util.Collections.list(in.entries())) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                byte[] b = in.getInputStream(e).readAllBytes();
                z.write(e.getName().endsWith("data/2") ? java.util.Arrays.copyOf(b, 10) : b);
                z.closeEntry();
            }
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(f));
        assertTrue(e.getMessage().startsWith(f + "!features.0.weight"), e.getMessage());
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
