package dev.graft.checkpoint;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the parts of an ONNX {@code ModelProto} that hold weights: the main graph's nodes (names,
 * op types, inputs, outputs) and initializers (name, type, shape and where their bytes lie).
 *
 * <p>Why protobuf's {@link CodedInputStream} and not classes generated from {@code onnx.proto}:
 * a code generator would need {@code protoc} at build time (a native binary Maven would have to
 * fetch), and generated parsers copy every {@code raw_data} into a new array, which for a model of
 * hundreds of megabytes is the memory we want to avoid. The wire decoder lets us record each
 * tensor's offset in the memory-mapped file and skip over its bytes, reading nothing twice.
 *
 * <p>Only field numbers from {@code onnx.proto} (IR version 10) appear here; no code in the file is
 * run, and subgraphs inside node attributes (If, Loop) are skipped unread.
 */
final class OnnxProto {
    private OnnxProto() {}

    /** More than this many nodes, initializers or dims is refused: real models stay far below. */
    static final int MAX_NODES = 1 << 20;
    static final int MAX_INITIALIZERS = 1 << 20;
    static final int MAX_NODE_VALUES = 1 << 16;
    static final int MAX_RANK = 64;

    /** Where an initializer's values are kept in the file. */
    enum Storage { NONE, RAW, FLOAT_DATA, INT32_DATA, INT64_DATA, DOUBLE_DATA, UINT64_DATA, STRING_DATA }

    /**
     * One initializer as the file declares it.
     *
     * @param dataType ONNX's {@code TensorProto.DataType} code
     * @param dims the declared shape, outermost first
     * @param offset where its stored values start in the file (raw bytes or a packed field)
     * @param length how many bytes they take
     */
    record RawTensor(String name, int dataType, long[] dims, Storage storage, long offset, long length) {}

    /** What the reader takes from a model: the main graph, plus descriptive metadata. */
    record Model(List<RawTensor> initializers, List<OnnxGraph.Node> nodes, Map<String, String> metadata) {}

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    /**
     * Parses a model held in {@code bytes} (position 0 to limit).
     *
     * @throws CheckpointException naming {@code label} if the bytes are no valid ONNX model or use
     *     something this reader refuses (external data, sparse or segmented initializers)
     */
    static Model parse(String label, ByteBuffer bytes) {
        int size = bytes.remaining();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            // Without this limit a nested length running past the end would only end the message
            // early; with it, the decoder reports the truncation.
            in.pushLimit(size);
            return model(label, in);
        } catch (IOException e) {
            throw new CheckpointException(label, "not a valid ONNX (protobuf) file: " + e.getMessage()
                    + " (at byte " + in.getTotalBytesRead() + " of " + size + ")");
        }
    }

    private static Model model(String label, CodedInputStream in) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        List<RawTensor> inits = null;
        List<OnnxGraph.Node> nodes = null;
        List<String> opsets = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, VARINT)) {
                meta.put("onnx.ir_version", Long.toString(in.readInt64()));
            } else if (tag == tag(2, LEN)) {
                meta.put("onnx.producer_name", in.readString());
            } else if (tag == tag(3, LEN)) {
                meta.put("onnx.producer_version", in.readString());
            } else if (tag == tag(8, LEN)) {
                opsets.add(opset(in));
            } else if (tag == tag(14, LEN)) {
                String[] kv = keyValue(in);
                meta.put("onnx.meta." + kv[0], kv[1]);
            } else if (tag == tag(7, LEN)) {
                if (inits != null) {
                    throw new CheckpointException(label, "the model holds more than one graph");
                }
                inits = new ArrayList<>();
                nodes = new ArrayList<>();
                int old = in.pushLimit(in.readRawVarint32());
                graph(label, in, inits, nodes);
                in.popLimit(old);
            } else {
                in.skipField(tag);
            }
        }
        if (inits == null) {
            throw new CheckpointException(label, "not an ONNX model: no graph (field 7 of ModelProto)");
        }
        if (!opsets.isEmpty()) {
            meta.put("onnx.opset", String.join(", ", opsets));
        }
        return new Model(inits, nodes, meta);
    }

    private static String opset(CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, LEN)) {
                domain = in.readString();
            } else if (tag == tag(2, VARINT)) {
                version = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        return (domain.isEmpty() ? "ai.onnx" : domain) + " " + version;
    }

    /** A {@code StringStringEntryProto}: key 1, value 2. */
    private static String[] keyValue(CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        String[] kv = {"", ""};
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, LEN)) {
                kv[0] = in.readString();
            } else if (tag == tag(2, LEN)) {
                kv[1] = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        return kv;
    }

    private static void graph(String label, CodedInputStream in, List<RawTensor> inits, List<OnnxGraph.Node> nodes)
            throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, LEN)) {
                if (nodes.size() >= MAX_NODES) {
                    throw new CheckpointException(label, "the graph has more than " + MAX_NODES + " nodes");
                }
                nodes.add(node(label, in));
            } else if (tag == tag(5, LEN)) {
                if (inits.size() >= MAX_INITIALIZERS) {
                    throw new CheckpointException(label, "the graph has more than " + MAX_INITIALIZERS
                            + " initializers");
                }
                inits.add(tensor(label, in));
            } else if (tag == tag(15, LEN)) {
                throw new CheckpointException(label, "the graph holds sparse initializers, which Graft does not read");
            } else {
                in.skipField(tag);
            }
        }
    }

    private static OnnxGraph.Node node(String label, CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        String name = "";
        String op = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, double[]> numbers = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, LEN) || tag == tag(2, LEN)) {
                List<String> to = tag == tag(1, LEN) ? inputs : outputs;
                if (to.size() >= MAX_NODE_VALUES) {
                    throw new CheckpointException(label, "node '" + name + "' has more than " + MAX_NODE_VALUES
                            + " inputs or outputs");
                }
                to.add(in.readString());
            } else if (tag == tag(3, LEN)) {
                name = in.readString();
            } else if (tag == tag(4, LEN)) {
                op = in.readString();
            } else if (tag == tag(5, LEN)) {
                if (numbers.size() >= MAX_NODE_VALUES) {
                    throw new CheckpointException(label, "node '" + name + "' has more than " + MAX_NODE_VALUES
                            + " attributes");
                }
                OnnxAttributes.read(in, numbers);
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        return new OnnxGraph.Node(name, op, inputs, outputs, numbers);
    }

    private static RawTensor tensor(String label, CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        String name = null;
        int dataType = 0;
        long[] dims = new long[8];
        int rank = 0;
        Storage storage = Storage.NONE;
        long offset = 0;
        long length = 0;
        boolean externalLocation = false;
        String external = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (tag == tag(1, VARINT) || tag == tag(1, LEN)) {
                // dims is declared unpacked in onnx.proto (proto2), but a packed run is legal too
                int dimsOld = tag == tag(1, LEN) ? in.pushLimit(in.readRawVarint32()) : -1;
                do {
                    if (rank == MAX_RANK) {
                        throw new CheckpointException(label, where(name) + " has more than " + MAX_RANK + " dims");
                    }
                    if (rank == dims.length) {
                        dims = java.util.Arrays.copyOf(dims, rank * 2);
                    }
                    dims[rank++] = in.readInt64();
                } while (dimsOld >= 0 && in.getBytesUntilLimit() > 0);
                if (dimsOld >= 0) {
                    in.popLimit(dimsOld);
                }
            } else if (tag == tag(2, VARINT)) {
                dataType = in.readInt32();
            } else if (field == 3) {
                throw new CheckpointException(label, where(name) + " is split into segments, which Graft does not read");
            } else if (tag == tag(8, LEN)) {
                name = in.readString();
            } else if (tag == tag(13, LEN)) {
                String[] kv = keyValue(in);
                if (kv[0].equals("location")) {
                    external = kv[1];
                }
                externalLocation = true;
            } else if (tag == tag(14, VARINT)) {
                externalLocation |= in.readEnum() == 1;
            } else if (tag == tag(6, LEN)) {
                // strings are one field each; the type check refuses STRING tensors later
                in.skipField(tag);
                storage = Storage.STRING_DATA;
            } else if (field == 4 || field == 5 || field == 7 || field == 9 || field == 10
                    || field == 11) {
                if (wire != LEN) {
                    // onnx.proto declares these packed; element-by-element runs are legal protobuf
                    // but no exporter writes them, and reading them would need growing arrays
                    throw new CheckpointException(label, where(name) + " stores " + fieldName(field)
                            + " unpacked, which Graft does not read");
                }
                if (storage != Storage.NONE) {
                    throw new CheckpointException(label, where(name) + " has data in both "
                            + storageName(storage) + " and " + fieldName(field));
                }
                int len = in.readRawVarint32();
                offset = in.getTotalBytesRead();
                length = len;
                in.skipRawBytes(len);
                storage = switch (field) {
                    case 4 -> Storage.FLOAT_DATA;
                    case 5 -> Storage.INT32_DATA;
                    case 7 -> Storage.INT64_DATA;
                    case 9 -> Storage.RAW;
                    case 10 -> Storage.DOUBLE_DATA;
                    default -> Storage.UINT64_DATA;
                };
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        if (name == null || name.isEmpty()) {
            throw new CheckpointException(label, "an initializer has no name");
        }
        if (externalLocation) {
            throw new CheckpointException(label, where(name) + " keeps its data in an external file"
                    + (external == null ? "" : " ('" + external + "')")
                    + "; Graft reads only data inside the .onnx file and never follows external paths");
        }
        return new RawTensor(name, dataType, java.util.Arrays.copyOf(dims, rank), storage, offset, length);
    }

    private static String where(String name) {
        return name == null ? "an initializer" : "tensor '" + name + "'";
    }

    static String storageName(Storage s) {
        return switch (s) {
            case NONE -> "no data field";
            case RAW -> "raw_data";
            case FLOAT_DATA -> "float_data";
            case INT32_DATA -> "int32_data";
            case INT64_DATA -> "int64_data";
            case DOUBLE_DATA -> "double_data";
            case UINT64_DATA -> "uint64_data";
            case STRING_DATA -> "string_data";
        };
    }

    private static String fieldName(int field) {
        return switch (field) {
            case 4 -> "float_data";
            case 5 -> "int32_data";
            case 6 -> "string_data";
            case 7 -> "int64_data";
            case 9 -> "raw_data";
            case 10 -> "double_data";
            default -> "uint64_data";
        };
    }
}
