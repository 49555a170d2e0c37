package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mlp.stored.npz", "mlp.deflated.npz"})
    void numpyArchivesHoldTheSameValuesAsTheSafetensors(String npz) {
        try (WeightStore a = Checkpoints.open(Fixtures.file(npz));
                WeightStore b = Checkpoints.open(Fixtures.file("mlp.safetensors"))) {
            assertTrue(a instanceof NpzFile);
            assertEquals(b.names(), a.names());
            for (String n : b.names()) {
                assertTrue(b.read(n).contentEquals(a.read(n)), n);
            }
        }
    }

    @Test
    void bigEndianAndAllHeaderVersionsRead() {
        try (NpzFile f = NpzFile.open(Fixtures.file("mixed.npz"))) {
            float[] expected = new float[12];
            for (int i = 0; i < 12; i++) {
                expected[i] = i * 0.5f;
            }
            assertArrayEquals(expected, f.read("le_v1").toFloats());
            assertArrayEquals(expected, f.read("be_f4_v2").toFloats());
            assertArrayEquals(expected, f.read("f2_v1").toFloats());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f.read("be_i8_v3").toFloats());
            assertEquals(new Dims(2, 3), f.info("be_i8_v3").dims());
            assertEquals(DType.I64, f.info("be_i8_v3").dtype());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, f.read("u8_v1").toFloats());
            assertArrayEquals(new float[] {1, 0, 1}, f.read("bool_v1").toFloats());
        }
    }

    @Test
    void objectArraysAreRefusedWithoutUnpickling() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> NpzFile.open(Fixtures.file("bad_object.npz")));
        assertTrue(e.getMessage().contains("pickle, which Graft never runs"), e.getMessage());
        assertTrue(e.getMessage().contains("bad_object.npz!x.npy"), e.getMessage());
    }

    @Test
    void fortranOrderIsRefused() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> NpzFile.open(Fixtures.file("bad_fortran.npz")));
        assertTrue(e.getMessage().contains("Fortran-order"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writerRoundTripsEveryNumpyType(boolean compress) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (DType t : DType.values()) {
            if (t != DType.BF16) {
                tensors.put(t.name().toLowerCase(), SafetensorsRoundTripTest.random(t, new Dims(2, 3), t.ordinal()));
            }
        }
        tensors.put("scalar", Tensor.ofFloats(new Dims(), new float[] {2.5f}));
        Path f = dir.resolve("out.npz");
        NpzWriter.write(f, tensors, compress);
        try (NpzFile read = NpzFile.open(f)) {
            assertEquals(java.util.List.copyOf(tensors.keySet()), read.names());
            for (var e : tensors.entrySet()) {
                assertTrue(e.getValue().contentEquals(read.read(e.getKey())), e.getKey());
            }
        }
    }

    @Test
    void bfloat16IsWrittenWidenedToFloat32() throws IOException {
        short one = (short) 0x3F80;
        Tensor bf = Tensor.of(DType.BF16, new Dims(1),
                java.nio.ByteBuffer.allocate(2).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(one).flip());
        Path f = dir.resolve("bf.npz");
        NpzWriter.write(f, Map.of("x", bf), false);
        try (NpzFile read = NpzFile.open(f)) {
            assertEquals(DType.F32, read.info("x").dtype());
            assertArrayEquals(new float[] {1f}, read.read("x").toFloats());
        }
    }

    private Path zipWith(String entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content);
            z.closeEntry();
        }
        Path f = dir.resolve("t" + System.nanoTime() + ".npz");
        Files.write(f, bytes.toByteArray());
        return f;
    }

    private static byte[] npy(String dict, int dataBytes) {
        byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + d.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) d.length, (byte) (d.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(d, 0, out, 10, d.length);
        return out;
    }

    @Test
    void malformedArraysGiveSpecificErrors() throws IOException {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        Object[][] cases = {
            {npy(ok, 4), "needs 8 data bytes but the entry holds 4"},
            {npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16), "unsupported dtype '<c8'"},
            {npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8), "structured dtypes"},
            {npy("{'descr': '<f4', 'shape': (2,), }", 8), "lacks descr"},
            {npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8), "not a valid literal"},
            {npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 8), "overflows"},
            {npy("__import__('os').system('x')", 8), "not a valid literal"},
            {npy("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,), }", 8), "fortran_order is not"},
            {"NOTNUMPY".getBytes(StandardCharsets.ISO_8859_1), "bad magic"},
            {new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0}, "format version 9"},
        };
        for (Object[] c : cases) {
            Path f = zipWith("x.npy", (byte[]) c[0]);
            CheckpointException e = assertThrows(CheckpointException.class, () -> NpzFile.open(f));
            assertTrue(e.getMessage().contains((String) c[1]), () -> "expected " + c[1] + " in " + e.getMessage());
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        }
        Path notNpy = zipWith("x.txt", new byte[3]);
        assertThrows(CheckpointException.class, () -> NpzFile.open(notNpy));
        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "hello");
        assertThrows(CheckpointException.class, () -> NpzFile.open(notZip));
    }
}
