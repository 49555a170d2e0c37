package dev.graft.export;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.AtomicFiles;
import dev.graft.checkpoint.Tensor;
import dev.graft.model.ExportContext;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.provenance.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model Graft builds, as an ONNX model: {@code ModelProto} IR version 8, opset 17 of the default
 * domain, one graph whose input {@code input} is a float32 batch {@code [batch, ...sample shape]}
 * (the batch dimension symbolic, the rest the spec's input) and whose output {@code logits} is
 * {@code [batch, ...output shape]}. Each layer writes its own nodes ({@link
 * dev.graft.model.LayerSpec#export}); the model's tensors are initializers under their PyTorch
 * {@code state_dict} names (float32; BatchNorm's {@code num_batches_tracked} counters, which
 * inference never reads, are left out). The graph computes inference mode: BatchNorm on running
 * statistics, dropout and stochastic depth as the identity.
 *
 * <p>With int8, the weights of linear and convolution layers (BERT's query, key, value and dense
 * layers and its pooler included) are stored as {@link Int8Weights}: {@code NAME_quantized},
 * {@code NAME_scale} and {@code NAME_zero_point}, dequantized by a {@code DequantizeLinear} node
 * (axis 0) whose output, the value {@code NAME}, feeds the layer's op. Biases, norms and embedding
 * tables stay float32.
 *
 * <p>Immutable once made; {@link #write} may be called more than once.
 */
public final class OnnxExport {
    /** {@code ModelProto.ir_version}: 8, the IR of ONNX 1.10-1.12, which opset 17 needs at least. */
    public static final long IR_VERSION = 8;
    /** The default domain's opset: 17, the first with LayerNormalization. */
    public static final long OPSET = 17;
    /** The graph input's name. */
    public static final String INPUT = "input";
    /** The graph output's name. */
    public static final String OUTPUT = "logits";
    /** The metadata key saying how weights are stored. */
    public static final String QUANTIZATION = "graft.quantization";
    /** Its value for an int8 export. */
    public static final String INT8 = "int8 weight-only: linear and convolution weights per output channel, symmetric,"
            + " DequantizeLinear axis 0";

    /** The largest file a protobuf parser takes (2 GiB - 1); larger models need external data, not written here. */
    static final long MAX_BYTES = Integer.MAX_VALUE;

    private final OnnxModelWriter.Model model;
    private final List<String> quantized;
    private final long size;

    private OnnxExport(OnnxModelWriter.Model model, List<String> quantized) {
        this.model = model;
        this.quantized = quantized;
        this.size = OnnxModelWriter.size(model);
    }

    /**
     * The export of {@code layout} with the values {@code tensors}.
     *
     * @param tensors every tensor of the layout by PyTorch name, with the layout's shapes (any
     *     floating type; converted to float32). They are read when {@link #write} runs, so buffers
     *     mapped from a checkpoint must stay open until then.
     * @param int8 whether to quantize linear and convolution weights (see the class comment)
     * @param provenance where the weights came from, stored as the metadata {@code graft.provenance}
     * @throws dev.graft.model.SpecException naming the spec and layer when a layer cannot be exported
     *     (its kind has no export yet), or a weight to quantize holds a value that is not finite
     * @throws GraftInputException if the model is larger than one ONNX file can be (2 GiB)
     * @throws IllegalArgumentException if a tensor is missing or has another shape than the layout's
     */
    public static OnnxExport of(ModelLayout layout, Map<String, Tensor> tensors, boolean int8, Provenance provenance) {
        for (ParamInfo p : layout.params()) {
            Tensor t = tensors.get(p.name());
            if (t == null || !t.dims().equals(p.dims()) || !(t.dtype().isFloating()
                    || p.role() == ParamRole.NUM_BATCHES_TRACKED)) {
                throw new IllegalArgumentException(p.name() + ": the model needs float " + p.dims() + ", got "
                        + (t == null ? "nothing" : t.toString()));
            }
        }
        String source = layout.spec().source();
        GraphBuilder g = new GraphBuilder(source, tensors, int8);
        ExportContext.Value in = new ExportContext.Value(INPUT, layout.spec().input().sizes());
        g.output(layout.spec().root().export("", in, g), OUTPUT);
        for (ParamInfo p : layout.params()) {
            // every tensor the layers declared must be read by their export, or the graph computes
            // something else than the model
            if (p.role() != ParamRole.NUM_BATCHES_TRACKED && !g.reads(p.name())) {
                throw new IllegalStateException("layer " + p.layer() + " (" + p.layerType() + ") exports no use of "
                        + p.name());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(QUANTIZATION, int8 ? INT8 : "none");
        meta.put("graft.model", layout.spec().name());
        meta.put("graft.provenance", provenance.toJson());
        OnnxModelWriter.Model m = new OnnxModelWriter.Model(IR_VERSION, OPSET, "graft",
                Provenance.version("graft.version"), layout.spec().name(), g.nodes(), g.initializers(),
                new OnnxModelWriter.Port(INPUT, layout.spec().input().sizes()),
                new OnnxModelWriter.Port(OUTPUT, layout.output().sizes()), meta);
        OnnxExport e = new OnnxExport(m, g.quantized());
        if (e.size > MAX_BYTES) {
            throw new GraftInputException(source + ": the ONNX model would be " + e.size + " bytes, more than one"
                    + " protobuf file can hold (2 GiB); Graft does not write ONNX external data");
        }
        return e;
    }

    /** The file's size in bytes. */
    public long bytes() {
        return size;
    }

    /** The graph's node count. */
    public int nodes() {
        return model.nodes().size();
    }

    /** The graph's initializer count (weights, scales and zero points, constants). */
    public int initializers() {
        return model.initializers().size();
    }

    /** The weights stored as int8, by PyTorch name, in graph order (empty for a float export). */
    public List<String> quantized() {
        return quantized;
    }

    /**
     * Writes the model to {@code target} atomically.
     *
     * @throws IOException if it cannot be written; nothing is left at {@code target} then
     */
    public void write(Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            OnnxModelWriter.write(model, out);
            out.flush();
        });
    }

    /** The model's bytes, for tests and in-memory runtimes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        try {
            OnnxModelWriter.write(model, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
