package dev.graft.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated safetensors file. The whole header is checked when the file is opened, before any
 * tensor is used; tensor bytes are memory-mapped one tensor at a time when read.
 *
 * <p>Graft keeps its own reader because DJL's drops {@code __metadata__} and checks little.
 * Instances are safe for concurrent reads.
 */
public final class SafetensorsFile extends IndexedStore<SafetensorsFile.Entry> {
    /** Headers larger than this are refused, as the reference implementation does. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final long dataStart;
    private final Map<String, String> metadata;

    record Entry(TensorInfo info, long begin, long end) implements IndexedStore.Indexed {}

    private SafetensorsFile(String label, Path path, FileChannel channel, ByteBuffer buffer,
            long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        super(path, label, entries);
        this.channel = channel;
        this.buffer = buffer;
        this.dataStart = dataStart;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws CheckpointException if the file is missing, unreadable or malformed
     */
    public static SafetensorsFile open(Path path) {
        FileChannel ch = openForReading(path);
        try {
            long size = ch.size();
            ByteBuffer head = readFully(ch, 0, (int) Math.min(8, size));
            Parsed p = parse(path.toString(), size, head, (off, len) -> readFully(ch, off, len));
            return new SafetensorsFile(path.toString(), path, ch, null, p.dataStart, p.entries,
                    p.metadata);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Validates safetensors bytes held in memory; {@code label} names them in errors.
     *
     * @throws CheckpointException if the bytes are malformed
     */
    public static SafetensorsFile fromBytes(String label, ByteBuffer bytes) {
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        long size = b.remaining();
        ByteBuffer head = b.slice(0, (int) Math.min(8, size));
        Parsed p = parse(label, size, head, (off, len) -> b.slice((int) off, len));
        return new SafetensorsFile(label, null, null, b, p.dataStart, p.entries, p.metadata);
    }

    private interface Reader {
        ByteBuffer read(long offset, int length) throws IOException;
    }

    private record Parsed(long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {}

    private static Parsed parse(String label, long size, ByteBuffer head, Reader reader) {
        if (size < 8) {
            throw new CheckpointException(label,
                    "file is " + size + " bytes; a safetensors file starts with an 8-byte header length");
        }
        long headerLen = head.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointException(label, "header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the 100 MB limit");
        }
        if (headerLen > size - 8) {
            throw new CheckpointException(label, "header length " + headerLen
                    + " runs past the end of the file (" + size + " bytes)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(reader.read(8, (int) headerLen)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(label, "header is not valid UTF-8");
        } catch (IOException e) {
            throw new CheckpointException(label, "cannot read header: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        parseHeader(label, text, dataLen, entries, metadata);
        checkLayout(label, entries, dataLen);
        return new Parsed(dataStart, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static void parseHeader(String label, String text, long dataLen,
            Map<String, Entry> entries, Map<String, String> metadata) {
        try (JsonParser p = new JsonFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CheckpointException(label, "header is not a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = JSON.readTree(p);
                if (!seen.add(name)) {
                    throw new CheckpointException(label, "duplicate name '" + name + "' in header");
                }
                if (name.equals("__metadata__")) {
                    readMetadata(label, value, metadata);
                } else {
                    entries.put(name, readEntry(label, name, value, dataLen));
                }
            }
            if (p.nextToken() != null) {
                throw new CheckpointException(label, "unexpected content after the header's JSON object");
            }
        } catch (IOException e) {
            throw new CheckpointException(label, "header is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static void readMetadata(String label, JsonNode value, Map<String, String> out) {
        if (!value.isObject()) {
            throw new CheckpointException(label, "__metadata__ is not an object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(label, "__metadata__ value for '" + e.getKey()
                        + "' is " + kind(e.getValue()) + ", not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry readEntry(String label, String name, JsonNode v, long dataLen) {
        String where = "tensor '" + name + "'";
        if (!v.isObject()) {
            throw new CheckpointException(label, where + " is " + kind(v) + ", not an object");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TENSOR_FIELDS.contains(f)) {
                throw new CheckpointException(label, where + " has unexpected field '" + f + "'");
            }
        }
        JsonNode dt = field(label, where, v, "dtype");
        if (!dt.isTextual()) {
            throw new CheckpointException(label, where + ": dtype is " + kind(dt) + ", not a string");
        }
        DType dtype = DType.fromSafetensors(dt.textValue()).orElseThrow(() ->
                new CheckpointException(label, where + " has unknown dtype '" + dt.textValue() + "'"));
        long[] shape = longs(label, where, "shape", field(label, where, v, "shape"), -1);
        long[] offsets = longs(label, where, "data_offsets", field(label, where, v, "data_offsets"), 2);
        Dims dims = new Dims(shape);
        long bytes;
        try {
            bytes = Math.multiplyExact(dims.count(), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(label, where + ": shape " + dims + " overflows");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointException(label, where + ": data_offsets [" + begin + ", " + end
                    + "] are reversed");
        }
        if (end > dataLen) {
            throw new CheckpointException(label, where + ": data_offsets [" + begin + ", " + end
                    + "] are out of bounds (data is " + dataLen + " bytes)");
        }
        if (end - begin != bytes) {
            throw new CheckpointException(label, where + ": shape " + dims + " of " + dtype
                    + " needs " + bytes + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(new TensorInfo(name, dtype, dims), begin, end);
    }

    private static JsonNode field(String label, String where, JsonNode v, String name) {
        JsonNode f = v.get(name);
        if (f == null) {
            throw new CheckpointException(label, where + " is missing '" + name + "'");
        }
        return f;
    }

    private static long[] longs(String label, String where, String what, JsonNode v, int length) {
        if (!v.isArray()) {
            throw new CheckpointException(label, where + ": " + what + " is " + kind(v) + ", not an array");
        }
        if (length >= 0 && v.size() != length) {
            throw new CheckpointException(label, where + ": " + what + " has " + v.size()
                    + " entries, expected " + length);
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = v.get(i);
            if (!n.isIntegralNumber()) {
                throw new CheckpointException(label, where + ": " + what + " holds " + kind(n)
                        + ", not an integer");
            }
            if (!n.canConvertToLong()) {
                throw new CheckpointException(label, where + ": " + what + " value " + n.asText()
                        + " overflows");
            }
            out[i] = n.longValue();
            if (out[i] < 0) {
                throw new CheckpointException(label, where + ": " + what + " value " + out[i]
                        + " is negative");
            }
        }
        return out;
    }

    private static void checkLayout(String label, Map<String, Entry> entries, long dataLen) {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() < cursor) {
                throw new CheckpointException(label, "tensor '" + e.info().name()
                        + "' overlaps tensor '" + previous + "'");
            }
            if (e.begin() > cursor) {
                throw new CheckpointException(label, "hole of " + (e.begin() - cursor)
                        + " bytes in the data before tensor '" + e.info().name() + "'");
            }
            cursor = e.end();
            previous = e.info().name();
        }
        if (cursor != dataLen) {
            throw new CheckpointException(label, (dataLen - cursor)
                    + " bytes after the last tensor");
        }
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.isArray() ? "an array" : "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ByteBuffer readFully(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was handed out yet; the open error is the one that matters
        }
    }

    @Override
    public Tensor read(String name) {
        Entry e = entry(name);
        long len = e.end() - e.begin();
        if (len > Integer.MAX_VALUE) {
            throw new CheckpointException(label(), "tensor '" + name + "' is " + len
                    + " bytes; tensors over 2 GiB are not supported");
        }
        ByteBuffer bytes;
        if (buffer != null) {
            bytes = buffer.slice((int) (dataStart + e.begin()), (int) len);
        } else {
            try {
                bytes = len == 0 ? ByteBuffer.allocate(0)
                        : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len);
            } catch (IOException ex) {
                throw new CheckpointException(label(), "cannot map tensor '" + name + "': "
                        + ex.getMessage(), ex);
            } catch (UncheckedIOException ex) {
                throw new CheckpointException(label(), "cannot map tensor '" + name + "'", ex);
            }
        }
        return Tensor.of(e.info().dtype(), e.info().dims(), bytes);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + label() + ", " + size() + " tensors]";
    }
}
