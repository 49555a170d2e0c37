package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX reader on a real export: all-MiniLM-L6-v2 from langchain4j's test-scope jar (IR 6,
 * opset 11, 102 initializers: 101 parameters, 36 of them anonymous MatMul weights stored [in, out], and
 * the int64 buffer {@code embeddings.position_ids}).
 */
class OnnxMiniLmTest {
    @TempDir
    static Path dir;
    static Path file;
    static OnnxFile onnx;

    @BeforeAll
    static void open() throws IOException {
        file = OnnxBytes.miniLm(dir);
        onnx = (OnnxFile) Checkpoints.open(file);
    }

    @AfterAll
    static void close() {
        onnx.close();
    }

    @Test
    void everyInitializerIsATensorAndNoneIsLeftAnonymous() {
        assertEquals(Checkpoints.Format.ONNX, Checkpoints.detect(file));
        // 101 parameters (65 named in the file, 36 recovered) and the position_ids buffer
        assertEquals(102, onnx.names().size());
        assertEquals(101, onnx.names().stream().filter(n -> onnx.info(n).dtype().isFloating()).count());
        for (String n : onnx.names()) {
            assertTrue(n.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*"), n);
        }
        long params = onnx.names().stream().filter(n -> onnx.info(n).dtype().isFloating())
                .mapToLong(n -> onnx.info(n).dims().count()).sum();
        // the Hugging Face model less its pooler (384 × 384 + 384), which the sentence embedding never uses
        assertEquals(22_713_216L - 147_840L, params);
        assertEquals("6", onnx.metadata().get("onnx.ir_version"));
        assertEquals("ai.onnx 11", onnx.metadata().get("onnx.opset"));
    }

    @Test
    void linearWeightsGetTheirModuleNameAndOutInLayout() {
        assertEquals(new Dims(384, 384), onnx.info("encoder.layer.0.attention.self.query.weight").dims());
        assertEquals(new Dims(1536, 384), onnx.info("encoder.layer.0.intermediate.dense.weight").dims());
        assertEquals(new Dims(384, 1536), onnx.info("encoder.layer.5.output.dense.weight").dims());
        List<OnnxFile.Note> renamed = onnx.notes().stream().filter(n -> !n.name().equals(n.fileName())).toList();
        assertEquals(36, renamed.size());
        for (OnnxFile.Note n : renamed) {
            assertTrue(n.fileName().startsWith("onnx::MatMul_"), n.toString());
            assertTrue(n.name().endsWith(".weight"), n.toString());
            assertTrue(n.how().contains("confirmed by the Add's bias '" + n.name().replace(".weight", ".bias")), n.how());
            long out = onnx.info(n.name().replace(".weight", ".bias")).dims().get(0);
            assertEquals(out, onnx.info(n.name()).dims().get(0), n.name());
        }
        for (int layer = 0; layer < 6; layer++) {
            for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "intermediate.dense", "output.dense")) {
                assertTrue(onnx.contains("encoder.layer." + layer + "." + m + ".weight"), layer + " " + m);
            }
        }
    }

    @Test
    void positionIdsStayAnInt64BufferAndAreReported() {
        TensorInfo ids = onnx.info("embeddings.position_ids");
        assertEquals(DType.I64, ids.dtype());
        assertEquals(new Dims(1, 512), ids.dims());
        long[] v = new long[512];
        onnx.read("embeddings.position_ids").data().asLongBuffer().get(v);
        for (int i = 0; i < 512; i++) {
            assertEquals(i, v[i]);
        }
        assertTrue(onnx.notes().stream().anyMatch(n -> n.name().equals("embeddings.position_ids")
                && n.how().startsWith("i64 buffer, not a parameter")), onnx.notes().toString());
        assertEquals(37, onnx.notes().size());
    }

    /** The renamed weights hold the file's raw_data transposed, checked against an independent walk. */
    @Test
    void valuesAreTheStoredBytesTransposed() throws IOException {
        Map<String, float[]> raw = rawFloats(Files.readAllBytes(file));
        for (OnnxFile.Note n : onnx.notes()) {
            if (n.name().equals(n.fileName())) {
                continue;
            }
            float[] stored = raw.get(n.fileName());
            Tensor t = onnx.read(n.name());
            int out = (int) t.dims().get(0);
            int in = (int) t.dims().get(1);
            assertEquals(stored.length, out * in);
            float[] got = t.toFloats();
            for (int k = 0; k < 50; k++) {
                int o = (k * 7919) % out;
                int i = (k * 104_729) % in;
                assertEquals(stored[i * out + o], got[o * in + i], n.name() + "[" + o + ", " + i + "]");
            }
        }
        float[] bias = raw.get("encoder.layer.0.attention.self.query.bias");
        float[] read = onnx.read("encoder.layer.0.attention.self.query.bias").toFloats();
        assertEquals(384, read.length);
        for (int i = 0; i < read.length; i++) {
            assertEquals(bias[i], read[i]);
        }
        assertFalse(Float.isNaN(onnx.read("embeddings.word_embeddings.weight").toFloats()[12345]));
    }

    /** raw_data of each float initializer, found by walking the protobuf by hand: graph 7, initializer 5. */
    private static Map<String, float[]> rawFloats(byte[] file) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        CodedInputStream model = CodedInputStream.newInstance(file);
        int tag;
        while ((tag = model.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) != 7) {
                model.skipField(tag);
                continue;
            }
            CodedInputStream graph = model.readBytes().newCodedInput();
            while ((tag = graph.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) != 5) {
                    graph.skipField(tag);
                    continue;
                }
                CodedInputStream t = graph.readBytes().newCodedInput();
                String name = null;
                byte[] data = null;
                int type = 0;
                while ((tag = t.readTag()) != 0) {
                    switch (WireFormat.getTagFieldNumber(tag)) {
                        case 2 -> type = t.readInt32();
                        case 8 -> name = t.readString();
                        case 9 -> data = t.readByteArray();
                        default -> t.skipField(tag);
                    }
                }
                if (type == 1 && data != null) {
                    float[] f = new float[data.length / 4];
                    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                    out.put(name, f);
                }
            }
        }
        return out;
    }
}
