package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.OnnxGraph;
import dev.graft.checkpoint.OnnxGraph.Node;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a BERT config off an ONNX graph when the graph is written other ways than MiniLM's
 * (a constant reshape shape, a LayerNormalization node, only the √head_size division), and the
 * errors that say what could not be found.
 */
class BertOnnxConfigTest {

    /** The named tensors of a BertModel with H 8, 2 layers, feed-forward 16, vocabulary 30, 10 positions. */
    static WeightStore tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("embeddings.word_embeddings.weight", zeros(30, 8));
        t.put("embeddings.position_embeddings.weight", zeros(10, 8));
        t.put("embeddings.token_type_embeddings.weight", zeros(2, 8));
        for (int i = 0; i < 2; i++) {
            t.put("encoder.layer." + i + ".attention.self.query.weight", zeros(8, 8));
            t.put("encoder.layer." + i + ".intermediate.dense.weight", zeros(16, 8));
        }
        return new MemoryWeightStore(Path.of("mem"), t, Map.of());
    }

    static Tensor zeros(long... dims) {
        return Tensor.ofFloats(new Dims(dims), new float[(int) new Dims(dims).count()]);
    }

    static Node constant(String out, double... v) {
        return new Node(out + "/Constant", "Constant", List.of(), List.of(out), Map.of("value", v));
    }

    static Node op(String name, String op, List<String> in, String out) {
        return new Node(name, op, in, List.of(out));
    }

    static final Node ERF = op("/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "Erf", List.of("a"), "b");

    static List<Node> withNorm(Node... rest) {
        List<Node> n = new ArrayList<>(List.of(rest));
        n.add(new Node("/embeddings/LayerNorm/LayerNormalization", "LayerNormalization", List.of("x", "w", "b"),
                List.of("y"), Map.of("epsilon", new double[] {1e-5f})));
        n.add(ERF);
        return n;
    }

    @Test
    void aConstantReshapeShapeAndALayerNormalizationNodeAreRead() {
        OnnxGraph g = new OnnxGraph(withNorm(constant("shape", 0, 0, 2, 4),
                op("/encoder/layer.0/attention/self/Reshape", "Reshape", List.of("k", "shape"), "r")));
        assertEquals(new BertConfig(8, 2, 2, 16, 30, 10, 2, 1e-5, 0.1, 0.1, 0), BertOnnxConfig.of("m.onnx", tensors(), g));
    }

    @Test
    void withoutAReshapeTheScoreDivisionGivesTheHeadSize() {
        OnnxGraph g = new OnnxGraph(withNorm(constant("sqrt", Math.sqrt(2)),
                op("/encoder/layer.0/attention/self/Div", "Div", List.of("scores", "sqrt"), "d")));
        assertEquals(4, BertOnnxConfig.of("m.onnx", tensors(), g).heads());
    }

    @Test
    void whatCannotBeFoundIsNamed() {
        SpecException heads = assertThrows(SpecException.class,
                () -> BertOnnxConfig.of("m.onnx", tensors(), new OnnxGraph(withNorm())));
        assertEquals("m.onnx: cannot find the number of attention heads: no Reshape of layer 0's attention to [batch,"
                + " length, heads, head_size] with heads × head_size = 8, and no division of its scores by √head_size,"
                + " under /encoder/layer.0/attention/self/", heads.getMessage());
        OnnxGraph noNorm = new OnnxGraph(List.of(ERF, constant("shape", 0, 0, 2, 4),
                op("/encoder/layer.0/attention/self/Reshape", "Reshape", List.of("k", "shape"), "r")));
        SpecException eps = assertThrows(SpecException.class, () -> BertOnnxConfig.of("m.onnx", tensors(), noNorm));
        assertTrue(eps.getMessage().startsWith("m.onnx: cannot find layer_norm_eps: no LayerNormalization node"),
                eps.getMessage());
        OnnxGraph tanh = new OnnxGraph(List.of(op("/encoder/layer.0/intermediate/intermediate_act_fn/Tanh", "Tanh",
                List.of("a"), "b")));
        SpecException act = assertThrows(SpecException.class, () -> BertOnnxConfig.of("m.onnx", tensors(), tanh));
        assertTrue(act.getMessage().contains("tanh-approximated GELU"), act.getMessage());
        Map<String, Tensor> none = new LinkedHashMap<>();
        none.put("fc.weight", zeros(2, 2));
        SpecException names = assertThrows(SpecException.class,
                () -> BertOnnxConfig.of("m.onnx", new MemoryWeightStore(Path.of("mem"), none, Map.of()), new OnnxGraph(List.of())));
        assertTrue(names.getMessage().startsWith("m.onnx: no tensor 'embeddings.word_embeddings.weight': not a Hugging"
                + " Face BertModel export"), names.getMessage());
    }

    @Test
    void aFileThatIsNeitherJsonNorOnnxSaysSo(@TempDir Path dir) throws java.io.IOException {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, "hidden_size: 8\n");
        SpecException e = assertThrows(SpecException.class, () -> BertConfig.read(yaml));
        assertTrue(e.getMessage().startsWith("a BERT config is a Hugging Face config.json (a JSON object) or an ONNX"
                + " export, and this is neither: " + yaml), e.getMessage());
        SpecException missing = assertThrows(SpecException.class, () -> BertConfig.read(dir.resolve("nope.json")));
        assertEquals(dir.resolve("nope.json") + ": cannot read the BERT config: no such file", missing.getMessage());
    }
}
