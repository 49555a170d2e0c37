package dev.graft.checkpoint;

import static dev.graft.checkpoint.OnnxBytes.floats;
import static dev.graft.checkpoint.OnnxBytes.io;
import static dev.graft.checkpoint.OnnxBytes.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph's nodes and the numbers in their attributes, written field by field (onnx.proto's
 * AttributeProto) as exporters write them, and checked on the real all-MiniLM-L6-v2 export.
 */
class OnnxGraphTest {

    /** A NodeProto with attributes, each an AttributeProto message. */
    static byte[] node(String name, String op, String[] inputs, String[] outputs, byte[]... attributes) {
        return message(o -> io(() -> {
            for (String i : inputs) {
                o.writeString(1, i);
            }
            for (String s : outputs) {
                o.writeString(2, s);
            }
            o.writeString(3, name);
            o.writeString(4, op);
            for (byte[] a : attributes) {
                o.writeByteArray(5, a);
            }
        }));
    }

    static OnnxGraph graph(byte[]... nodes) {
        byte[][] inits = {OnnxBytes.tensor("w", 1, new long[] {1}, floats(1))};
        return OnnxFile.fromBytes("test", ByteBuffer.wrap(OnnxBytes.model(OnnxBytes.graph(nodes, inits)))).graph();
    }

    @Test
    void constantsFloatsAndIntsAreKeptAsNumbers() {
        byte[] scalar = message(o -> io(() -> {
            o.writeString(1, "value");
            o.writeInt32(20, 4);
            o.writeByteArray(5, OnnxBytes.tensor("", 1, new long[] {}, floats(5.656854f)));
        }));
        byte[] shape = message(o -> io(() -> {
            o.writeString(1, "value");
            o.writeByteArray(5, OnnxBytes.tensor("", 7, new long[] {2}, out -> io(() -> {
                // int64_data, packed
                out.writeByteArray(7, message(p -> io(() -> {
                    p.writeInt64NoTag(12);
                    p.writeInt64NoTag(32);
                })));
            })));
        }));
        byte[] eps = message(o -> io(() -> {
            o.writeString(1, "epsilon");
            o.writeInt32(20, 1);
            o.writeFloat(2, 1e-12f);
        }));
        byte[] perm = message(o -> io(() -> {
            o.writeString(1, "perm");
            o.writeInt32(20, 7);
            for (long v : new long[] {0, 2, 1, 3}) {
                o.writeInt64(8, v);
            }
        }));
        byte[] text = message(o -> io(() -> {
            o.writeString(1, "mode");
            o.writeInt32(20, 3);
            o.writeByteArray(4, "constant".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }));
        OnnxGraph g = graph(node("/c", "Constant", new String[0], new String[] {"c"}, scalar),
                node("/s", "Constant", new String[0], new String[] {"s"}, shape),
                node("/ln", "LayerNormalization", new String[] {"x", "w"}, new String[] {"y"}, eps),
                node("/t", "Transpose", new String[] {"y"}, new String[] {"z"}, perm, text));
        assertArrayEquals(new double[] {5.656854f}, g.constant("c").orElseThrow());
        assertArrayEquals(new double[] {12, 32}, g.constant("s").orElseThrow());
        assertEquals(Optional.empty(), g.constant("y"));
        OnnxGraph.Node ln = g.producer("y").orElseThrow();
        assertArrayEquals(new double[] {1e-12f}, ln.number("epsilon").orElseThrow());
        OnnxGraph.Node t = g.readers("y").get(0);
        assertArrayEquals(new double[] {0, 2, 1, 3}, t.number("perm").orElseThrow());
        assertEquals(Optional.empty(), t.number("mode"), "strings are not numbers");
    }

    @Test
    void theMiniLmGraphHasItsAttentionShapeAndNormEpsilon(@TempDir Path dir) throws java.io.IOException {
        try (OnnxFile onnx = OnnxFile.open(OnnxBytes.miniLm(dir))) {
            OnnxGraph g = onnx.graph();
            assertTrue(g.nodes().size() > 500, "nodes: " + g.nodes().size());
            assertArrayEquals(new double[] {12}, g.constant("/encoder/layer.0/attention/self/Constant_2_output_0")
                    .orElseThrow());
            assertArrayEquals(new double[] {1e-12f}, g.constant("/embeddings/LayerNorm/Constant_1_output_0")
                    .orElseThrow());
            List<String> ops = g.nodes().stream().map(OnnxGraph.Node::opType).distinct().sorted().toList();
            assertTrue(ops.contains("Erf") && ops.contains("Reshape"), ops.toString());
        }
    }
}
