package dev.graft.checkpoint;

import static dev.graft.checkpoint.OnnxBytes.floats;
import static dev.graft.checkpoint.OnnxBytes.graph;
import static dev.graft.checkpoint.OnnxBytes.io;
import static dev.graft.checkpoint.OnnxBytes.message;
import static dev.graft.checkpoint.OnnxBytes.model;
import static dev.graft.checkpoint.OnnxBytes.node;
import static dev.graft.checkpoint.OnnxBytes.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small ONNX models written field by field: a valid one reads back with the name recovered, and
 * each broken one is refused on open with one line naming the file and the problem, before
 * anything the file claims is allocated.
 */
class MalformedOnnxTest {
    @TempDir
    Path dir;

    private static byte[] one(byte[] tensor) {
        return model(graph(new byte[0][], new byte[][] {tensor}));
    }

    private static final long[] HUGE = {1L << 20, 1L << 20};

    static Stream<Arguments> broken() {
        byte[] valid = OnnxBytes.linear();
        return Stream.of(
                Arguments.of("empty file", new byte[0], "the file is empty"),
                Arguments.of("truncated in the graph", Arrays.copyOf(valid, valid.length / 2), "not a valid ONNX (protobuf) file"),
                Arguments.of("truncated by one byte", Arrays.copyOf(valid, valid.length - 1), "not a valid ONNX (protobuf) file"),
                Arguments.of("garbage bytes", garbage(), "not a valid ONNX (protobuf) file"),
                Arguments.of("text", "name: model\nlayers: []\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "not a valid ONNX (protobuf) file"),
                Arguments.of("no graph", message(o -> io(() -> o.writeInt64(1, 7))), "no graph"),
                Arguments.of("2^40 elements in raw_data of 8 bytes", one(tensor("w", 1, HUGE, floats(1, 2))),
                        "shape F32 [1048576, 1048576] needs 4398046511104 bytes but raw_data holds 8"),
                Arguments.of("2^40 elements in float_data of 2 values",
                        one(tensor("w", 1, HUGE, o -> io(() -> o.writeByteArray(4, floats(1, 2))))),
                        "needs 1099511627776 values but the file holds 2"),
                Arguments.of("2^40 elements in int64_data",
                        one(tensor("w", 7, HUGE, o -> io(() -> o.writeByteArray(7, new byte[] {1, 2})))),
                        "needs 1099511627776 values but int64_data is 2 bytes"),
                Arguments.of("no data at all", one(tensor("w", 1, new long[] {3}, o -> { })),
                        "needs 3 values but the file holds 0"),
                Arguments.of("raw_data too short", one(tensor("w", 1, new long[] {3}, floats(1, 2))),
                        "tensor 'w': shape F32 [3] needs 12 bytes but raw_data holds 8"),
                Arguments.of("raw_data too long", one(tensor("w", 1, new long[] {1}, floats(1, 2))),
                        "needs 4 bytes but raw_data holds 8"),
                Arguments.of("shape overflows", one(tensor("w", 1, new long[] {1L << 32, 1L << 32, 1L << 32}, floats(1))),
                        "overflows"),
                Arguments.of("negative dimension", one(tensor("w", 1, new long[] {-2}, floats(1, 2))),
                        "negative dimension -2"),
                Arguments.of("unknown data_type", one(tensor("w", 99, new long[] {2}, floats(1, 2))), "unknown data_type 99"),
                Arguments.of("string tensor", one(tensor("w", 8, new long[] {1}, o -> io(() -> o.writeString(6, "x")))),
                        "data_type 8 (STRING), which Graft does not read"),
                Arguments.of("float8 tensor", one(tensor("w", 17, new long[] {2}, new byte[2])), "a FLOAT8 type"),
                Arguments.of("external data", one(tensor("w", 1, new long[] {2}, o -> io(() -> {
                    o.writeByteArray(13, message(kv -> io(() -> {
                        kv.writeString(1, "location");
                        kv.writeString(2, "../../etc/weights.bin");
                    })));
                    o.writeEnum(14, 1);
                }))), "keeps its data in an external file ('../../etc/weights.bin')"),
                Arguments.of("float tensor in int64_data",
                        one(tensor("w", 1, new long[] {1}, o -> io(() -> o.writeByteArray(7, new byte[] {1})))),
                        "keeps its values in int64_data, not float_data"),
                Arguments.of("unpacked float_data", one(tensor("w", 1, new long[] {1}, o -> io(() -> o.writeFloat(4, 1f)))),
                        "stores float_data unpacked"),
                Arguments.of("segmented tensor", one(tensor("w", 1, new long[] {1}, o -> io(() -> o.writeByteArray(3, new byte[0])))),
                        "split into segments"),
                Arguments.of("initializer without a name", model(graph(new byte[0][], new byte[][] {
                    message(o -> io(() -> o.writeInt32(2, 1)))})), "an initializer has no name"),
                Arguments.of("two graphs", message(o -> io(() -> {
                    o.writeByteArray(7, graph(new byte[0][], new byte[0][]));
                    o.writeByteArray(7, graph(new byte[0][], new byte[0][]));
                })), "more than one graph"),
                Arguments.of("sparse initializer", model(message(o -> io(() -> o.writeByteArray(15, new byte[0])))),
                        "sparse initializers"),
                Arguments.of("duplicate names", model(graph(new byte[0][], new byte[][] {
                    tensor("w", 1, new long[] {1}, floats(1)), tensor("w", 1, new long[] {1}, floats(2))})),
                        "two initializers are named 'w'"),
                Arguments.of("nested length past the end", message(o -> io(() -> {
                    o.writeTag(7, 2);
                    o.writeUInt32NoTag(1 << 30);
                    o.writeRawBytes(new byte[4]);
                })), "not a valid ONNX (protobuf) file"));
    }

    private static byte[] garbage() {
        byte[] b = new byte[4096];
        new Random(14).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFilesAreRefusedWithOneLineNamingFileAndProblem(String what, byte[] bytes, String expected)
            throws IOException {
        Path f = dir.resolve("m.onnx");
        Files.write(f, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(f).close(), what);
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aValidLinearModelReadsBackWithItsPyTorchNameAndLayout() throws IOException {
        Path f = dir.resolve("linear.bin");
        Files.write(f, OnnxBytes.linear());
        // detected by content, not only by the .onnx extension
        assertEquals(Checkpoints.Format.ONNX, Checkpoints.detect(f));
        try (OnnxFile onnx = (OnnxFile) Checkpoints.open(f)) {
            assertEquals(java.util.List.of("fc.bias", "fc.weight"), onnx.names());
            Tensor w = onnx.read("fc.weight");
            assertEquals(new Dims(2, 3), w.dims());
            // stored [in, out] = [[1, 2], [3, 4], [5, 6]]; nn.Linear keeps [out, in]
            assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, w.toFloats());
            assertArrayEquals(new float[] {0.5f, -0.5f}, onnx.read("fc.bias").toFloats());
            assertEquals(1, onnx.notes().size());
            OnnxFile.Note n = onnx.notes().get(0);
            assertEquals("fc.weight", n.name());
            assertEquals("onnx::MatMul_7", n.fileName());
            assertTrue(n.how().contains("from MatMul node '/fc/MatMul', confirmed by the Add's bias 'fc.bias' [2]"), n.how());
            assertEquals("7", onnx.metadata().get("onnx.ir_version"));
            assertEquals("ai.onnx 13", onnx.metadata().get("onnx.opset"));
        }
    }

    @Test
    void typedDataFieldsAreDecoded() {
        byte[] halfBits = message(o -> io(() -> {
            o.writeUInt32NoTag(0x3C00); // 1.0 in float16
            o.writeUInt32NoTag(0xC000); // -2.0
        }));
        byte[] longs = message(o -> io(() -> {
            o.writeInt64NoTag(-1);
            o.writeInt64NoTag(1L << 40);
        }));
        byte[] bytes = model(graph(new byte[0][], new byte[][] {
            tensor("h", 10, new long[] {2}, o -> io(() -> o.writeByteArray(5, halfBits))),
            tensor("ids", 7, new long[] {2}, o -> io(() -> o.writeByteArray(7, longs))),
            tensor("f", 1, new long[] {2}, o -> io(() -> o.writeByteArray(4, floats(7, 8)))),
            tensor("scalar", 1, new long[0], floats(3)),
        }));
        try (OnnxFile onnx = OnnxFile.fromBytes("mem", java.nio.ByteBuffer.wrap(bytes))) {
            assertArrayEquals(new float[] {1, -2}, onnx.read("h").toFloats());
            assertEquals(DType.F16, onnx.info("h").dtype());
            assertEquals(-1L, onnx.read("ids").data().getLong(0));
            assertEquals(1L << 40, onnx.read("ids").data().getLong(8));
            assertArrayEquals(new float[] {7, 8}, onnx.read("f").toFloats());
            assertArrayEquals(new float[] {3}, onnx.read("scalar").toFloats());
            assertTrue(onnx.notes().stream().anyMatch(n -> n.name().equals("ids") && n.how().contains("buffer")));
        }
    }

    @Test
    void anonymousWeightsThatAreNoLinearLayerKeepTheirNameAndSayWhy() {
        byte[][] nodes = {
            node("/fc/MatMul", "MatMul", new String[] {"x", "onnx::MatMul_7"}, new String[] {"h"}),
            node("/fc/Add", "Add", new String[] {"h", "other.bias"}, new String[] {"y"}),
            node("/r/Reshape", "Reshape", new String[] {"y", "onnx::Reshape_9"}, new String[] {"z"}),
        };
        byte[] bytes = model(graph(nodes, new byte[][] {
            tensor("onnx::MatMul_7", 1, new long[] {3, 2}, floats(1, 2, 3, 4, 5, 6)),
            tensor("other.bias", 1, new long[] {2}, floats(0, 0)),
            tensor("onnx::Reshape_9", 7, new long[] {1}, new byte[8]),
            tensor("onnx::Unused_1", 1, new long[] {1}, floats(1)),
        }));
        try (OnnxFile onnx = OnnxFile.fromBytes("mem", java.nio.ByteBuffer.wrap(bytes))) {
            assertEquals(new Dims(3, 2), onnx.info("onnx::MatMul_7").dims());
            String notes = onnx.notes().toString();
            assertTrue(notes.contains("names module 'fc' but its bias is 'other.bias'"), notes);
            assertTrue(notes.contains("input 1 of Reshape node '/r/Reshape', not a linear layer's weight"), notes);
            assertTrue(notes.contains("no node reads it"), notes);
        }
    }
}
