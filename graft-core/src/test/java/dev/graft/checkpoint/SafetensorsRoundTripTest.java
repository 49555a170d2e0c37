package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    static Tensor random(DType t, Dims d, long seed) {
        byte[] bytes = new byte[(int) (d.count() * t.byteSize())];
        new Random(seed).nextBytes(bytes);
        if (t == DType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (bytes[i] & 1);
            }
        }
        return Tensor.of(t, d, ByteBuffer.wrap(bytes));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTripsBitForBit(DType dtype) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("matrix", random(dtype, new Dims(3, 5), 1));
        tensors.put("scalar", random(dtype, new Dims(), 2));
        tensors.put("empty", random(dtype, new Dims(0, 7), 3));
        tensors.put("cube", random(dtype, new Dims(2, 3, 4), 4));
        Map<String, String> meta = Map.of("note", "ünïcode ✓", "k", "");
        Path f = dir.resolve(dtype + ".safetensors");
        SafetensorsWriter.write(f, tensors, meta);
        try (SafetensorsFile read = SafetensorsFile.open(f)) {
            assertEquals(List.copyOf(tensors.keySet()), read.names());
            assertEquals(meta, read.metadata());
            for (var e : tensors.entrySet()) {
                assertTrue(e.getValue().contentEquals(read.read(e.getKey())), e.getKey());
                assertEquals(dtype, read.info(e.getKey()).dtype());
            }
        }
    }

    @Test
    void tensorsAreAlignedToEightBytes() throws IOException {
        Path f = dir.resolve("a.safetensors");
        SafetensorsWriter.write(f, Map.of("x", random(DType.F64, new Dims(3), 1)), Map.of("a", "b"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
    }

    @Test
    void pytorchWrittenFileReadsWithExpectedValues() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Fixtures.file("dtypes.expected.json").toFile());
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.file("dtypes.safetensors"))) {
            assertEquals(Map.of("made_by", "pytorch", "note", "every dtype"), f.metadata());
            for (String name : f.names()) {
                JsonNode values = expected.get("values").get(name);
                float[] want = new float[values.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) values.get(i).asDouble();
                }
                assertArrayEquals(want, f.read(name).toFloats(), 0f, name);
                JsonNode shape = expected.get("shapes").get(name);
                assertEquals(shape.size(), f.info(name).dims().rank(), name);
            }
            assertEquals(DType.BF16, f.info("bf16").dtype());
            assertEquals(DType.F16, f.info("f16").dtype());
        }
    }

    @Test
    void halfPrecisionWideningIsExact() {
        assertEquals(1.0f, HalfFloats.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.halfToFloat((short) 0xC000));
        assertEquals(65504f, HalfFloats.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(HalfFloats.halfToFloat((short) 0x7E00)));
        assertEquals(1.0f, HalfFloats.bfloat16ToFloat((short) 0x3F80));
        assertEquals(-0.5f, HalfFloats.bfloat16ToFloat((short) 0xBF00));
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.halfToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, HalfFloats.floatToHalf(f), "bits " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void failedWriteLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("out.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("__metadata__", random(DType.F32, new Dims(1), 1));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(f, tensors, Map.of()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void interruptedContentLeavesTargetUntouched() throws IOException {
        Path f = dir.resolve("keep.txt");
        Files.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }
}
