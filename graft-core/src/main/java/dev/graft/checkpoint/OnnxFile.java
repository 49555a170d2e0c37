package dev.graft.checkpoint;

import com.google.protobuf.CodedInputStream;
import dev.graft.checkpoint.OnnxProto.RawTensor;
import dev.graft.checkpoint.OnnxProto.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initializers of an ONNX model's main graph, as a weight store with PyTorch names and
 * layouts. The file is memory-mapped and its protobuf walked once on open; every initializer's
 * type, shape and byte count are checked against the bytes it holds before anything is used, so a
 * file that claims more than it holds is refused without allocating. Tensors are read lazily.
 *
 * <p>Anonymous {@code MatMul} weights get their module's name back and nn.Linear's {@code [out, in]}
 * layout (see {@link #notes()}); integer initializers such as BERT's {@code position_ids} are kept
 * as stored, as a TorchScript {@code state_dict} keeps its buffers, and noted as buffers.
 * Nothing in the file is executed, and external data files are never opened.
 */
public final class OnnxFile extends IndexedStore<OnnxFile.Entry> {
    /**
     * One line of the naming report: what the store calls a tensor, what the file called it, and
     * how the name was found (or why it was kept).
     */
    public record Note(String name, String fileName, String how) {}

    record Entry(TensorInfo info, RawTensor raw, boolean transposed) implements IndexedStore.Indexed {}

    private final ByteBuffer bytes;
    private final FileChannel channel;
    private final Map<String, String> metadata;
    private final List<Note> notes;
    private final OnnxGraph graph;

    private OnnxFile(Path path, String label, FileChannel channel, ByteBuffer bytes, Map<String, Entry> entries,
            Map<String, String> metadata, List<Note> notes, OnnxGraph graph) {
        super(path, label, entries);
        this.channel = channel;
        this.bytes = bytes;
        this.metadata = metadata;
        this.notes = notes;
        this.graph = graph;
    }

    /**
     * Opens and validates an ONNX model's initializers.
     *
     * @throws CheckpointException if the file is missing, unreadable, over 2 GiB (protobuf's own
     *     limit: such models keep their weights in external files, which Graft does not follow),
     *     malformed, or holds a tensor Graft cannot represent
     */
    public static OnnxFile open(Path path) {
        FileChannel ch = openForReading(path);
        try {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new CheckpointException(path, "is " + size + " bytes; an ONNX file over 2 GiB breaks protobuf's"
                        + " limit (such models keep weights in external data, which Graft does not follow)");
            }
            ByteBuffer map = size == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return build(path, path.toString(), ch, map);
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(ch);
            throw new CheckpointException(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Validates ONNX bytes held in memory; {@code label} names them in errors.
     *
     * @throws CheckpointException as {@link #open} does
     */
    public static OnnxFile fromBytes(String label, ByteBuffer bytes) {
        return build(null, label, null, bytes.slice());
    }

    private static OnnxFile build(Path path, String label, FileChannel ch, ByteBuffer bytes) {
        if (bytes.remaining() == 0) {
            throw new CheckpointException(label, "the file is empty; an ONNX model is a protobuf ModelProto");
        }
        OnnxProto.Model model = OnnxProto.parse(label, bytes.duplicate());
        List<DType> types = new ArrayList<>();
        for (RawTensor t : model.initializers()) {
            types.add(check(label, t));
        }
        List<OnnxNames.Outcome> outcomes = OnnxNames.recover(model.initializers(), types, model.nodes());
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            RawTensor t = model.initializers().get(i);
            OnnxNames.Outcome o = outcomes.get(i);
            long[] d = t.dims();
            Dims dims = o.transposed() ? new Dims(d[1], d[0]) : new Dims(d);
            if (entries.put(o.name(), new Entry(new TensorInfo(o.name(), types.get(i), dims), t, o.transposed())) != null) {
                throw new CheckpointException(label, "two initializers are named '" + o.name() + "'");
            }
            if (o.note() != null) {
                notes.add(new Note(o.name(), t.name(), o.note()));
            }
        }
        return new OnnxFile(path, label, ch, bytes, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(model.metadata()), List.copyOf(notes), new OnnxGraph(model.nodes()));
    }

    /** The Graft type of an ONNX data type, after checking that the stored values fill the shape. */
    private static DType check(String label, RawTensor t) {
        String where = "tensor '" + t.name() + "'";
        DType type = switch (t.dataType()) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> throw new CheckpointException(label, where + " has " + typeName(t.dataType()));
        };
        for (long s : t.dims()) {
            if (s < 0) {
                throw new CheckpointException(label, where + " has negative dimension " + s + " in "
                        + java.util.Arrays.toString(t.dims()));
            }
        }
        long count;
        try {
            count = new Dims(t.dims()).count();
            Math.multiplyExact(count, type.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(label, where + ": shape " + java.util.Arrays.toString(t.dims()) + " overflows");
        }
        Storage expected = switch (type) {
            case F32 -> Storage.FLOAT_DATA;
            case F64 -> Storage.DOUBLE_DATA;
            case I64 -> Storage.INT64_DATA;
            default -> Storage.INT32_DATA;
        };
        String shape = type + " " + java.util.Arrays.toString(t.dims());
        long held;
        if (t.storage() == Storage.RAW) {
            held = t.length() / type.byteSize();
            if (t.length() != count * type.byteSize()) {
                throw new CheckpointException(label, where + ": shape " + shape + " needs " + count * type.byteSize()
                        + " bytes but raw_data holds " + t.length());
            }
        } else if (t.storage() == Storage.NONE) {
            held = 0;
        } else if (t.storage() != expected) {
            throw new CheckpointException(label, where + " of type " + type + " keeps its values in "
                    + OnnxProto.storageName(t.storage()) + ", not " + OnnxProto.storageName(expected));
        } else if (type == DType.F32 || type == DType.F64) {
            if (t.length() % type.byteSize() != 0) {
                throw new CheckpointException(label, where + ": " + OnnxProto.storageName(t.storage()) + " is "
                        + t.length() + " bytes, not a whole number of values");
            }
            held = t.length() / type.byteSize();
        } else {
            held = -1; // varints: counted when read; at least one byte each, so at most t.length()
            if (count > t.length()) {
                throw new CheckpointException(label, where + ": shape " + shape + " needs " + count + " values but "
                        + OnnxProto.storageName(t.storage()) + " is " + t.length() + " bytes");
            }
        }
        if (held >= 0 && held != count) {
            throw new CheckpointException(label, where + ": shape " + shape + " needs " + count + " values but the file"
                    + " holds " + held);
        }
        return type;
    }

    private static String typeName(int code) {
        String name = switch (code) {
            case 0 -> "UNDEFINED";
            case 4 -> "UINT16";
            case 8 -> "STRING";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case 14 -> "COMPLEX64";
            case 15 -> "COMPLEX128";
            case 17, 18, 19, 20, 24 -> "a FLOAT8 type";
            case 21 -> "UINT4";
            case 22 -> "INT4";
            case 23 -> "FLOAT4E2M1";
            default -> null;
        };
        return name == null ? "unknown data_type " + code
                : "data_type " + code + " (" + name + "), which Graft does not read";
    }

    /**
     * How each renamed tensor got its name, and why anonymous or integer tensors were kept as they
     * are, in file order. Tensors stored under their PyTorch names have no note.
     */
    public List<Note> notes() {
        return notes;
    }

    /**
     * The main graph's nodes, with the small numbers their attributes hold (constants, epsilons),
     * for reading a model's settings off its graph.
     */
    public OnnxGraph graph() {
        return graph;
    }

    /**
     * The tensor of this name; a renamed {@code MatMul} weight is returned transposed to
     * {@code [out, in]} (a copy), others as views of the mapped file when their bytes are stored raw.
     *
     * @throws java.util.NoSuchElementException if there is no such tensor
     * @throws CheckpointException if it is over {@link SizeLimits#maxTensorBytes()} or its values are malformed
     */
    @Override
    public Tensor read(String name) {
        Entry e = entry(name);
        TensorInfo info = e.info();
        RawTensor raw = e.raw();
        String where = label() + "!" + name;
        long count = info.dims().count();
        ByteBuffer stored = bytes.slice(Math.toIntExact(raw.offset()), Math.toIntExact(raw.length()))
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer data = switch (raw.storage()) {
            case RAW, FLOAT_DATA, DOUBLE_DATA -> stored;
            case NONE -> ByteBuffer.allocate(0);
            default -> varints(where, stored, info.dtype(), count);
        };
        if (e.transposed()) {
            SizeLimits.checkTensor(where, info.byteSize());
            data = transpose(data, info.dims().get(1), info.dims().get(0), info.dtype().byteSize());
        }
        return Tensor.of(info.dtype(), info.dims(), data);
    }

    /** Decodes a packed run of varints (int32_data, int64_data) into {@code count} little-endian values. */
    private static ByteBuffer varints(String where, ByteBuffer stored, DType type, long count) {
        SizeLimits.checkTensor(where, count * type.byteSize());
        ByteBuffer out = ByteBuffer.allocate((int) (count * type.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        CodedInputStream in = CodedInputStream.newInstance(stored);
        try {
            for (long i = 0; i < count; i++) {
                if (in.isAtEnd()) {
                    throw new CheckpointException(where, "holds " + i + " values, its shape needs " + count);
                }
                long v = in.readInt64();
                switch (type) {
                    case I64 -> out.putLong(v);
                    case I32 -> out.putInt((int) v);
                    case I16, F16, BF16 -> out.putShort((short) v);
                    default -> out.put((byte) v);
                }
            }
            if (!in.isAtEnd()) {
                throw new CheckpointException(where, "holds more values than its shape " + count + " needs");
            }
        } catch (IOException ex) {
            throw new CheckpointException(where, "malformed packed values: " + ex.getMessage());
        }
        return out.flip();
    }

    /** {@code rows × cols} elements of {@code size} bytes, row-major, into {@code cols × rows}. */
    private static ByteBuffer transpose(ByteBuffer src, long rows, long cols, int size) {
        ByteBuffer out = ByteBuffer.allocate((int) (rows * cols * size));
        byte[] row = new byte[(int) (cols * size)];
        for (int r = 0; r < rows; r++) {
            src.get(r * row.length, row);
            for (int c = 0; c < cols; c++) {
                out.put((int) ((c * rows + r) * size), row, c * size, size);
            }
        }
        return out;
    }

    /**
     * What the model says about itself: {@code onnx.ir_version}, {@code onnx.opset},
     * {@code onnx.producer_name}, {@code onnx.producer_version}, and its metadata_props as
     * {@code onnx.meta.KEY}.
     */
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

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was handed out yet, or the store is done; the mapping stays valid regardless
        }
    }

    @Override
    public String toString() {
        return "OnnxFile[" + label() + ", " + size() + " tensors]";
    }
}
