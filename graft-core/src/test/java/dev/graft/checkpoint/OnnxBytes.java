package dev.graft.checkpoint;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * Writes small ONNX models for tests with protobuf's {@link CodedOutputStream}, field by field
 * (numbers from onnx.proto), so that tests can also write what no exporter would.
 */
final class OnnxBytes {
    private OnnxBytes() {}

    /** The real model the ONNX reader is tested on, copied out of its test-scope jar. */
    static Path miniLm(Path dir) throws IOException {
        Path f = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = OnnxBytes.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the test classpath");
            }
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    /** A message body written by {@code body}. */
    static byte[] message(Consumer<CodedOutputStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.accept(out);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A ModelProto: ir_version 7, opset 13, producer "test", and a graph holding {@code graph}. */
    static byte[] model(byte[] graph) {
        return message(o -> io(() -> {
            o.writeInt64(1, 7);
            o.writeString(2, "test");
            o.writeByteArray(7, graph);
            o.writeByteArray(8, message(op -> io(() -> op.writeInt64(2, 13))));
        }));
    }

    /** A GraphProto of these nodes and initializers (each already a message). */
    static byte[] graph(byte[][] nodes, byte[][] inits) {
        return message(o -> io(() -> {
            o.writeString(2, "g");
            for (byte[] n : nodes) {
                o.writeByteArray(1, n);
            }
            for (byte[] t : inits) {
                o.writeByteArray(5, t);
            }
        }));
    }

    static byte[] node(String name, String op, String[] inputs, String[] outputs) {
        return message(o -> io(() -> {
            for (String i : inputs) {
                o.writeString(1, i);
            }
            for (String s : outputs) {
                o.writeString(2, s);
            }
            o.writeString(3, name);
            o.writeString(4, op);
        }));
    }

    /** A TensorProto with {@code raw} as raw_data; dims unpacked as onnx.proto declares them. */
    static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        return tensor(name, dataType, dims, o -> io(() -> o.writeByteArray(9, raw)));
    }

    /** A TensorProto whose data fields {@code data} writes. */
    static byte[] tensor(String name, int dataType, long[] dims, Consumer<CodedOutputStream> data) {
        return message(o -> io(() -> {
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, dataType);
            o.writeString(8, name);
            data.accept(o);
        }));
    }

    /** Little-endian float32 bytes. */
    static byte[] floats(float... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /**
     * A valid two-tensor model: {@code onnx::MatMul_7} [3, 2] read by MatMul {@code /fc/MatMul},
     * then {@code fc.bias} [2] added, as PyTorch exports {@code nn.Linear(3, 2)} applied to a 3-d input.
     */
    static byte[] linear() {
        byte[][] nodes = {
            node("/fc/MatMul", "MatMul", new String[] {"x", "onnx::MatMul_7"}, new String[] {"/fc/MatMul_output_0"}),
            node("/fc/Add", "Add", new String[] {"fc.bias", "/fc/MatMul_output_0"}, new String[] {"y"}),
        };
        byte[][] inits = {
            tensor("fc.bias", 1, new long[] {2}, floats(0.5f, -0.5f)),
            tensor("onnx::MatMul_7", 1, new long[] {3, 2}, floats(1, 2, 3, 4, 5, 6)),
        };
        return model(graph(nodes, inits));
    }

    interface IoBody {
        void run() throws IOException;
    }

    static void io(IoBody body) {
        try {
            body.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
