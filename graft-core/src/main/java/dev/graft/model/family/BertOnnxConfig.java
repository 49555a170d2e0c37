package dev.graft.model.family;

import dev.graft.checkpoint.OnnxFile;
import dev.graft.checkpoint.OnnxGraph;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.SpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A {@link BertConfig} read off an ONNX export of a Hugging Face {@code BertModel} (such as
 * all-MiniLM-L6-v2), whose tensors the ONNX reader has given their PyTorch names:
 * <ul>
 *   <li>vocabulary, H, positions and token types from the embedding tables' shapes; the layer
 *       count from the {@code encoder.layer.N} present; the feed-forward width from
 *       {@code intermediate.dense.weight};
 *   <li>the head count from layer 0's attention: the {@code Reshape} of query, key or value to
 *       {@code [batch, length, heads, head_size]} (its shape a constant, or a {@code Concat} of
 *       constants for the last two), else the {@code Div} of the scores by √head_size;
 *   <li>{@code layer_norm_eps} from the embeddings' LayerNorm: the {@code epsilon} of a
 *       {@code LayerNormalization} node, or the constant added to the variance before
 *       {@code Sqrt} in the decomposed form; read as float32 (as stored) and written as that
 *       float's shortest decimal, so 1e-12 stored reads back as 1e-12;
 *   <li>the activation must be the exact GELU: an {@code Erf} (or a {@code Gelu} node) in
 *       layer 0's intermediate block; a {@code Tanh} there is the approximation, refused.
 * </ul>
 * An inference graph holds no dropout and no pad id: BERT's 0.1 and 0 are taken.
 */
final class BertOnnxConfig {
    private BertOnnxConfig() {}

    /** The dropout probabilities and pad id taken for an ONNX export (HF BERT's defaults). */
    static final double DROPOUT = 0.1;
    static final int PAD_ID = 0;

    /**
     * @throws SpecException naming the file and what could not be found
     * @throws dev.graft.checkpoint.CheckpointException if the file is no readable ONNX model
     */
    static BertConfig read(Path file) {
        try (OnnxFile onnx = OnnxFile.open(file)) {
            return of(file.toString(), onnx, onnx.graph());
        }
    }

    /** The config of a model's named tensors and graph; {@code label} names it in errors. */
    static BertConfig of(String label, WeightStore w, OnnxGraph g) {
        long[] words = dims(label, w, "embeddings.word_embeddings.weight");
        int vocab = (int) words[0];
        int hidden = (int) words[1];
        int positions = (int) dims(label, w, "embeddings.position_embeddings.weight")[0];
        int types = (int) dims(label, w, "embeddings.token_type_embeddings.weight")[0];
        int layers = 0;
        while (w.contains("encoder.layer." + layers + ".attention.self.query.weight")) {
            layers++;
        }
        if (layers == 0) {
            throw new SpecException(label + ": no encoder.layer.0.attention.self.query.weight: not a BertModel export"
                    + " (see graft inspect for the tensor names it has)");
        }
        int inter = (int) dims(label, w, "encoder.layer.0.intermediate.dense.weight")[0];
        requireExactGelu(label, g);
        int heads = heads(label, g, hidden);
        double eps = eps(label, g);
        try {
            return new BertConfig(hidden, layers, heads, inter, vocab, positions, types, eps, DROPOUT, DROPOUT, PAD_ID);
        } catch (IllegalArgumentException e) {
            throw new SpecException(label + ": the sizes read off the graph make no BERT: " + e.getMessage());
        }
    }

    private static long[] dims(String label, WeightStore w, String name) {
        if (!w.contains(name)) {
            throw new SpecException(label + ": no tensor '" + name + "': not a Hugging Face BertModel export (see graft"
                    + " inspect for the tensor names it has)");
        }
        long[] d = w.info(name).dims().sizes();
        if (d.length != 2) {
            throw new SpecException(label + ": '" + name + "' has shape " + java.util.Arrays.toString(d)
                    + ", not [rows, hidden]");
        }
        return d;
    }

    private static final String ATTENTION = "/encoder/layer.0/attention/self/";
    private static final String INTERMEDIATE = "/encoder/layer.0/intermediate/";
    private static final String EMBEDDING_NORM = "/embeddings/LayerNorm/";

    private static List<OnnxGraph.Node> under(OnnxGraph g, String scope) {
        return g.nodes().stream().filter(n -> n.name().contains(scope)).toList();
    }

    private static void requireExactGelu(String label, OnnxGraph g) {
        List<OnnxGraph.Node> nodes = under(g, INTERMEDIATE);
        if (nodes.stream().anyMatch(n -> n.opType().equals("Tanh") || n.opType().equals("FastGelu"))) {
            throw new SpecException(label + ": layer 0's activation is the tanh-approximated GELU (a Tanh or FastGelu"
                    + " under " + INTERMEDIATE + "); bert_layer computes the exact (erf) GELU only");
        }
        if (nodes.stream().noneMatch(n -> n.opType().equals("Erf") || n.opType().equals("Gelu"))) {
            throw new SpecException(label + ": cannot confirm that the activation is the exact GELU: no Erf or Gelu"
                    + " node under " + INTERMEDIATE);
        }
    }

    /** The head count: from a reshape into heads, else from the √head_size division. */
    static int heads(String label, OnnxGraph g, int hidden) {
        TreeSet<Integer> found = new TreeSet<>();
        List<OnnxGraph.Node> attention = under(g, ATTENTION);
        for (OnnxGraph.Node n : attention) {
            if (n.opType().equals("Reshape") && n.inputs().size() == 2) {
                shape(g, n.inputs().get(1)).ifPresent(s -> {
                    if (s.length == 4 && s[2] > 0 && s[3] > 0 && s[2] * s[3] == hidden) {
                        found.add((int) s[2]);
                    }
                });
            }
        }
        if (found.isEmpty()) {
            for (OnnxGraph.Node n : attention) {
                if (n.opType().equals("Div") && n.inputs().size() == 2) {
                    scalar(g, n.inputs().get(1)).ifPresent(c -> {
                        long size = Math.round(c * c);
                        if (size > 0 && Math.abs(Math.sqrt(size) - c) < 1e-4 * c && hidden % size == 0) {
                            found.add((int) (hidden / size));
                        }
                    });
                }
            }
        }
        if (found.size() != 1) {
            throw new SpecException(label + ": cannot find the number of attention heads: " + (found.isEmpty()
                    ? "no Reshape of layer 0's attention to [batch, length, heads, head_size] with heads × head_size = "
                            + hidden + ", and no division of its scores by √head_size, under " + ATTENTION
                    : "layer 0's attention reads as " + found + " heads"));
        }
        return found.first();
    }

    /** A shape value: a constant, or a Concat whose parts are constants of one value each (as exporters write it). */
    private static Optional<long[]> shape(OnnxGraph g, String value) {
        Optional<double[]> c = g.constant(value);
        if (c.isPresent()) {
            return Optional.of(longs(c.get()));
        }
        Optional<OnnxGraph.Node> concat = g.producer(value).filter(n -> n.opType().equals("Concat"));
        if (concat.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = concat.get().inputs();
        long[] out = new long[parts.size()];
        for (int i = 0; i < out.length; i++) {
            Optional<double[]> p = g.constant(parts.get(i));
            // the leading parts are computed (batch, length); only their count matters
            out[i] = p.isPresent() && p.get().length == 1 ? (long) p.get()[0] : -1;
        }
        return Optional.of(out);
    }

    private static long[] longs(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }

    private static Optional<Double> scalar(OnnxGraph g, String value) {
        return g.constant(value).filter(v -> v.length == 1).map(v -> v[0]);
    }

    /** The embeddings' LayerNorm epsilon. */
    static double eps(String label, OnnxGraph g) {
        List<OnnxGraph.Node> norm = under(g, EMBEDDING_NORM);
        List<Double> found = new ArrayList<>();
        for (OnnxGraph.Node n : norm) {
            if (n.opType().equals("LayerNormalization")) {
                n.number("epsilon").filter(v -> v.length == 1).ifPresent(v -> found.add(v[0]));
            }
            boolean feedsSqrt = !n.outputs().isEmpty()
                    && g.readers(n.outputs().get(0)).stream().anyMatch(r -> r.opType().equals("Sqrt"));
            if (n.opType().equals("Add") && feedsSqrt) {
                n.inputs().stream().map(i -> scalar(g, i)).flatMap(Optional::stream).findFirst().ifPresent(found::add);
            }
        }
        if (found.size() != 1 || !(found.get(0) > 0)) {
            throw new SpecException(label + ": cannot find layer_norm_eps: " + (found.isEmpty()
                    ? "no LayerNormalization node and no constant added to the variance before Sqrt under "
                            + EMBEDDING_NORM : "read " + found));
        }
        // stored as float32: its shortest decimal is what the config said
        return Double.parseDouble(Float.toString((float) (double) found.get(0)));
    }
}
