package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each broken file is refused on open, before any tensor is used, with a specific error that
 * names the file and the problem.
 */
class MalformedSafetensorsTest {
    @TempDir
    Path dir;

    /** A file: 8-byte length of {@code header}, the header, then {@code data} bytes. */
    static byte[] file(String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return withLength(h.length, h, data);
    }

    static byte[] withLength(long length, byte[] header, int data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(header);
        return b.array();
    }

    static final String T = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("empty file", new byte[0], "8-byte header length"),
                Arguments.of("5 bytes", new byte[5], "8-byte header length"),
                Arguments.of("header length past end", withLength(500, "{}".getBytes(StandardCharsets.UTF_8), 0),
                        "runs past the end of the file"),
                Arguments.of("header over 100 MB", withLength(200_000_000L, new byte[0], 0), "exceeds the 100 MB limit"),
                Arguments.of("negative header length", withLength(-5, new byte[0], 0), "exceeds the 100 MB limit"),
                Arguments.of("header not UTF-8", withLength(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, 0),
                        "not valid UTF-8"),
                Arguments.of("header not JSON", file("{\"a\": [1, 2", 0), "not valid JSON"),
                Arguments.of("header is an array", file("[1, 2]", 0), "not a JSON object"),
                Arguments.of("header is empty", file("", 0), "not a JSON object"),
                Arguments.of("trailing garbage after JSON", file("{} x", 0), "not valid JSON"),
                Arguments.of("unknown dtype", file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                        "unknown dtype 'F8_E4M3'"),
                Arguments.of("dtype not a string", file("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                        "dtype is a number"),
                Arguments.of("missing dtype", file("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "missing 'dtype'"),
                Arguments.of("missing shape", file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "missing 'shape'"),
                Arguments.of("missing offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "missing 'data_offsets'"),
                Arguments.of("shape not an array", file("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8),
                        "shape is a number, not an array"),
                Arguments.of("shape holds a string", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8),
                        "shape holds a string"),
                Arguments.of("shape holds a float", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8),
                        "shape holds a number, not an integer"),
                Arguments.of("negative dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                        "shape value -2 is negative"),
                Arguments.of("dimension beyond long", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}", 8),
                        "overflows"),
                Arguments.of("shape product overflows", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8),
                        "overflows"),
                Arguments.of("offsets wrong length", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8),
                        "data_offsets has 3 entries"),
                Arguments.of("span differs from shape", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                        "needs 12 bytes but data_offsets span 8"),
                Arguments.of("offsets reversed", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
                        "are reversed"),
                Arguments.of("offsets out of bounds", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
                        "out of bounds"),
                Arguments.of("overlapping tensors", file("{\"a\":" + T + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                        "overlaps tensor 'a'"),
                Arguments.of("hole in the data", file("{\"a\":" + T + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16),
                        "hole of 4 bytes"),
                Arguments.of("hole at the start", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                        "hole of 4 bytes"),
                Arguments.of("bytes after the last tensor", file("{\"a\":" + T + "}", 12), "4 bytes after the last tensor"),
                Arguments.of("duplicate names", file("{\"a\":" + T + ",\"a\":" + T + "}", 8), "duplicate name 'a'"),
                Arguments.of("metadata not an object", file("{\"__metadata__\":[1],\"a\":" + T + "}", 8),
                        "__metadata__ is not an object"),
                Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"k\":1},\"a\":" + T + "}", 8),
                        "value for 'k' is a number, not a string"),
                Arguments.of("tensor entry not an object", file("{\"a\":[1,2]}", 0), "is an array, not an object"),
                Arguments.of("unexpected tensor field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
                        "unexpected field 'x'"),
                Arguments.of("offset holds null", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,null]}}", 8),
                        "holds null"),
                Arguments.of("deeply nested header", file("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0),
                        "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void refusedWithSpecificErrorNamingTheFile(String what, byte[] bytes, String expected) throws IOException {
        Path f = dir.resolve(what.replace(' ', '_') + ".safetensors");
        Files.write(f, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
        CheckpointException mem = assertThrows(CheckpointException.class,
                () -> SafetensorsFile.fromBytes("mem", ByteBuffer.wrap(bytes)));
        assertTrue(mem.getMessage().contains(expected), mem.getMessage());
    }

    @Test
    void suiteHasAtLeast25DistinctCases() {
        List<Arguments> all = broken().toList();
        assertTrue(all.size() >= 25);
        assertEquals(all.size(), all.stream().map(a -> a.get()[0]).distinct().count());
    }

    @Test
    void missingFileIsACheckpointError() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SafetensorsFile.open(dir.resolve("nope.safetensors")));
        assertTrue(e.getMessage().endsWith("no such file"));
    }

    @Test
    void validMinimalFilesOpen() {
        try (SafetensorsFile f = SafetensorsFile.fromBytes("ok", ByteBuffer.wrap(file("{}", 0)))) {
            assertTrue(f.names().isEmpty());
        }
        try (SafetensorsFile f = SafetensorsFile.fromBytes("ok", ByteBuffer.wrap(file("{\"a\":" + T + "}  ", 8)))) {
            assertEquals(List.of("a"), f.names());
        }
    }
}
