package dev.graft.export;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.graft.model.ExportContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Serializes an ONNX {@code ModelProto} with protobuf's {@link CodedOutputStream}, field by field.
 * Field numbers are those of {@code onnx.proto} (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto),
 * cited at each use. Repeated scalars are written unpacked, as {@code onnx.proto} (proto2) declares
 * them; parsers accept either form.
 *
 * <p>Why not classes generated from {@code onnx.proto}: the reader ({@code OnnxProto}) avoids a
 * {@code protoc} step for the same reason, and a generated message holds every weight in memory once
 * more while it serializes. Here each initializer's bytes are written straight from its buffer:
 * message lengths are computed first ({@link #size}), so nothing is assembled twice.
 *
 * <p>Stateless; thread-safe.
 */
final class OnnxModelWriter {
    private OnnxModelWriter() {}

    /** ONNX's {@code TensorProto.DataType} codes used here. */
    static final int FLOAT = 1;
    static final int INT8 = 3;
    static final int INT64 = 7;

    /**
     * One node ({@code NodeProto}) with one output.
     *
     * @param name the node's name, unique in the graph
     * @param inputs its inputs' names; {@code ""} for an absent optional input
     */
    record Node(String name, String op, List<String> inputs, String output, List<ExportContext.Attribute> attributes) {
        Node {
            inputs = List.copyOf(inputs);
            attributes = List.copyOf(attributes);
        }
    }

    /**
     * One initializer ({@code TensorProto}) whose values are little-endian {@code raw_data}.
     *
     * @param dataType a {@code TensorProto.DataType} code
     * @param raw its bytes, position 0 to limit (read, never changed)
     */
    record Initializer(String name, int dataType, long[] dims, ByteBuffer raw) {
        Initializer {
            dims = dims.clone();
            raw = raw.asReadOnlyBuffer();
        }
    }

    /**
     * A graph input or output ({@code ValueInfoProto}): a float32 tensor whose first dimension is
     * the symbolic {@code batch} and the rest {@code sample}.
     */
    record Port(String name, long[] sample) {
        Port {
            sample = sample.clone();
        }
    }

    /**
     * The model's top-level fields.
     *
     * @param irVersion {@code ModelProto.ir_version}
     * @param opset the default domain's opset version ({@code OperatorSetIdProto.version})
     * @param metadata {@code ModelProto.metadata_props}, in order
     */
    record Model(long irVersion, long opset, String producer, String producerVersion, String graphName,
            List<Node> nodes, List<Initializer> initializers, Port input, Port output, Map<String, String> metadata) {}

    /** The serialized size in bytes; {@link #write} writes exactly this many. */
    static long size(Model m) {
        return modelHead(m).length + lengthDelimited(7, graphSize(m));
    }

    /**
     * Writes the model to {@code out} (not closed).
     *
     * @throws IOException if {@code out} fails
     */
    static void write(Model m, OutputStream out) throws IOException {
        CodedOutputStream o = CodedOutputStream.newInstance(out, 1 << 16);
        o.writeRawBytes(modelHead(m));
        // ModelProto.graph = 7
        o.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt64NoTag(graphSize(m));
        // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12
        for (Node n : m.nodes()) {
            o.writeByteArray(1, node(n));
        }
        o.writeString(2, m.graphName());
        for (Initializer t : m.initializers()) {
            byte[] head = tensorHead(t);
            o.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt64NoTag(head.length + lengthDelimited(9, t.raw().remaining()));
            o.writeRawBytes(head);
            // TensorProto.raw_data = 9
            o.writeTag(9, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt64NoTag(t.raw().remaining());
            copy(t.raw().duplicate(), o);
        }
        o.writeByteArray(11, port(m.input()));
        o.writeByteArray(12, port(m.output()));
        o.flush();
    }

    /**
     * Writes a buffer's remaining bytes through a small array: {@code writeRawBytes(ByteBuffer)} would
     * write the buffer's whole capacity, not its remaining bytes.
     */
    private static void copy(ByteBuffer b, CodedOutputStream o) throws IOException {
        byte[] chunk = new byte[1 << 16];
        while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            o.writeRawBytes(chunk, 0, n);
        }
    }

    /** The model's fields before its graph (their order in the file does not matter to a parser). */
    private static byte[] modelHead(Model m) {
        return message(o -> {
            // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, opset_import = 8,
            // metadata_props = 14
            o.writeInt64(1, m.irVersion());
            o.writeString(2, m.producer());
            o.writeString(3, m.producerVersion());
            // OperatorSetIdProto: domain = 1 ("" is the default ai.onnx domain), version = 2
            o.writeByteArray(8, message(op -> {
                op.writeString(1, "");
                op.writeInt64(2, m.opset());
            }));
            for (Map.Entry<String, String> e : m.metadata().entrySet()) {
                // StringStringEntryProto: key = 1, value = 2
                o.writeByteArray(14, message(kv -> {
                    kv.writeString(1, e.getKey());
                    kv.writeString(2, e.getValue());
                }));
            }
        });
    }

    private static long graphSize(Model m) {
        long n = 0;
        for (Node node : m.nodes()) {
            n += lengthDelimited(1, node(node).length);
        }
        n += CodedOutputStream.computeStringSize(2, m.graphName());
        for (Initializer t : m.initializers()) {
            n += lengthDelimited(5, tensorHead(t).length + lengthDelimited(9, t.raw().remaining()));
        }
        n += lengthDelimited(11, port(m.input()).length);
        n += lengthDelimited(12, port(m.output()).length);
        return n;
    }

    /** The bytes of a length-delimited field of {@code length} content bytes, tag and length included. */
    private static long lengthDelimited(int field, long length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(length) + length;
    }

    private static byte[] node(Node n) {
        return message(o -> {
            // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
            for (String in : n.inputs()) {
                o.writeString(1, in);
            }
            o.writeString(2, n.output());
            o.writeString(3, n.name());
            o.writeString(4, n.op());
            for (ExportContext.Attribute a : n.attributes()) {
                o.writeByteArray(5, attribute(a));
            }
        });
    }

    private static byte[] attribute(ExportContext.Attribute a) {
        return message(o -> {
            // AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20 (AttributeType FLOAT = 1,
            // INT = 2, INTS = 7)
            o.writeString(1, a.name());
            switch (a.type()) {
                case FLOAT -> {
                    o.writeFloat(2, a.f());
                    o.writeEnum(20, 1);
                }
                case INT -> {
                    o.writeInt64(3, a.i());
                    o.writeEnum(20, 2);
                }
                case INTS -> {
                    for (long v : a.ints()) {
                        o.writeInt64(8, v);
                    }
                    o.writeEnum(20, 7);
                }
            }
        });
    }

    /** A tensor's fields but its raw_data. */
    private static byte[] tensorHead(Initializer t) {
        return message(o -> {
            // TensorProto: dims = 1, data_type = 2, name = 8 (raw_data = 9 follows)
            for (long d : t.dims()) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, t.dataType());
            o.writeString(8, t.name());
        });
    }

    private static byte[] port(Port p) {
        return message(o -> {
            // ValueInfoProto: name = 1, type = 2
            o.writeString(1, p.name());
            // TypeProto: tensor_type = 1; TypeProto.Tensor: elem_type = 1, shape = 2
            o.writeByteArray(2, message(type -> type.writeByteArray(1, message(tensor -> {
                tensor.writeInt32(1, FLOAT);
                // TensorShapeProto: dim = 1; Dimension: dim_value = 1, dim_param = 2
                tensor.writeByteArray(2, message(shape -> {
                    shape.writeByteArray(1, message(d -> d.writeString(2, "batch")));
                    for (long s : p.sample()) {
                        shape.writeByteArray(1, message(d -> d.writeInt64(1, s)));
                    }
                }));
            }))));
        });
    }

    /** A message body written by {@code body}. */
    private interface Body {
        void write(CodedOutputStream o) throws IOException;
    }

    private static byte[] message(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(bytes);
        try {
            body.write(o);
            o.flush();
        } catch (IOException e) {
            // a byte array does not fail
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
