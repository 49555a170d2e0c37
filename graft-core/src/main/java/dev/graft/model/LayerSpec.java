package dev.graft.model;

import ai.djl.nn.Block;
import java.util.List;

/**
 * One layer of a model spec: an immutable value parsed by its {@link LayerKind}. Each layer has
 * the PyTorch module name it is registered under in its parent (an index such as {@code "0"} in a
 * sequential group, or a chosen name). The layer itself knows its shape inference, its tensors
 * (names, shapes, roles, decay and default initialization), its role in the unit graph and its DJL
 * build, so that no other code switches on layer types.
 */
public interface LayerSpec {

    /** The name under which the parent registers this layer. */
    String name();

    /** The spec's type keyword, as written in YAML (its {@link LayerKind#keyword()}). */
    String type();

    /**
     * The output shape for {@code input}, declaring this layer's tensors in PyTorch's
     * {@code state_dict} order and its place in the unit graph on {@code ctx}.
     *
     * @param path this layer's full name, such as {@code features.0}
     * @param input one sample's input shape
     * @throws SpecException if the layer cannot take that input
     */
    long[] infer(String path, long[] input, LayoutContext ctx);

    /**
     * This layer as a DJL block, its parameters recorded on {@code ctx} under their PyTorch names
     * (exactly the tensors {@link #infer} declared, buffers such as {@code num_batches_tracked} aside).
     */
    Block build(String path, BuildContext ctx);

    /**
     * Adds this layer's computation in inference mode (BatchNorm on running statistics, dropout
     * off) to an ONNX graph: the nodes that turn {@code input} (a batch of the per-sample shape
     * {@link #infer} received) into this layer's output, reading its tensors under the names
     * {@link #infer} declared. Nested layers are exported through {@link ExportContext#export}.
     * By default a layer is refused by name: a kind without an export must never write a wrong graph.
     *
     * @param path this layer's full name, such as {@code features.0}
     * @return the name of the value holding this layer's output
     * @throws SpecException if this layer (or a nested one) cannot be exported
     */
    default String export(String path, ExportContext.Value input, ExportContext ctx) {
        throw ctx.refuse(path, "layer kind '" + type() + "' cannot be exported to ONNX yet");
    }

    /**
     * This layer's own YAML keys with their values, as its kind parses them back (beside
     * {@code name} and {@code type}): numbers, booleans, strings, lists of integers, nested
     * {@link LayerSpec}s or lists of them. Absent ({@code null}) values are left out.
     */
    java.util.Map<String, Object> yaml();

    /**
     * The largest dropout probability this layer applies itself (not its children's): above 0, its
     * output in training is random, so a frozen prefix holding it cannot be cached. 0 by default.
     */
    default double dropout() {
        return 0;
    }

    /**
     * This layer with every dropout probability it applies itself set to {@code p} (an experiment's
     * {@code train.dropout}); the layer itself when it applies none.
     */
    default LayerSpec withDropout(double p) {
        return this;
    }

    /**
     * Whether this layer's tensors form one layer group of their own (see {@link LayerGroup}): a
     * block whose parts are fine-tuned, frozen, decayed and unfrozen together, such as a BERT
     * encoder layer. False by default: a layer's unit layers then each start a group, with what
     * follows them.
     */
    default boolean layerGroup() {
        return false;
    }

    /**
     * The token ids this layer reads, when it is the input layer of a text model (an embedding);
     * empty for every other layer.
     */
    default java.util.Optional<TokenInput> tokenInput() {
        return java.util.Optional.empty();
    }

    /** Layers nested in this one, in order (empty for a leaf). */
    default List<LayerSpec> children() {
        return List.of();
    }

    /**
     * This layer with its {@link #children()} replaced (same count and names), for spec rewrites.
     */
    default LayerSpec withChildren(List<LayerSpec> children) {
        if (!children.isEmpty()) {
            throw new IllegalArgumentException(type() + " has no children");
        }
        return this;
    }

    /** Joins a parent's full name and a child's name (a child named "" is registered in its parent's place). */
    static String join(String path, String name) {
        return name.isEmpty() ? path : path.isEmpty() ? name : path + "." + name;
    }
}
