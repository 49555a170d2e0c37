package dev.graft.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes safetensors files atomically, with string metadata in {@code __metadata__}. Tensors are
 * laid out in the map's iteration order; the header is padded with spaces to a multiple of 8
 * bytes so that every tensor starts aligned.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} and {@code metadata} to {@code target} atomically.
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code target} then
     */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(target, new MemoryWeightStore(null, tensors, Map.of()), metadata);
    }

    /**
     * Writes every tensor of {@code tensors}, in its order, atomically: the header is built from
     * the tensors' types and shapes, then each tensor is read and written in turn, so at most one
     * tensor is held in memory (a converted checkpoint larger than memory streams through).
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code target} then
     * @throws CheckpointException if a tensor cannot be read from {@code tensors}
     */
    public static void write(Path target, WeightStore tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(target, out -> writeTo(out, header, tensors));
    }

    /** The complete file as bytes; for tests and in-memory use. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        MemoryWeightStore store = new MemoryWeightStore(null, tensors, Map.of());
        byte[] header = header(store, metadata);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out, header, store);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] header(WeightStore tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (String name : tensors.names()) {
            if (name.equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' cannot name a tensor");
            }
            TensorInfo t = tensors.info(name);
            ObjectNode node = root.putObject(name);
            node.put("dtype", t.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long s : t.dims().sizes()) {
                shape.add(s);
            }
            ArrayNode offs = node.putArray("data_offsets");
            offs.add(offset);
            offset += t.dims().count() * t.dtype().byteSize();
            offs.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeTo(OutputStream out, byte[] header, WeightStore tensors)
            throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(header.length);
        out.write(len.array());
        out.write(header);
        WritableByteChannel ch = Channels.newChannel(out);
        for (String name : tensors.names()) {
            Tensor t = tensors.read(name);
            TensorInfo info = tensors.info(name);
            if (t.dtype() != info.dtype() || !t.dims().equals(info.dims())) {
                throw new CheckpointException(name, "read as " + t + " but indexed as " + info.dtype() + info.dims());
            }
            ByteBuffer data = t.data();
            while (data.hasRemaining()) {
                ch.write(data);
            }
        }
        out.flush();
    }

}
