package dev.graft.model;

import java.util.Arrays;
import java.util.List;

/**
 * What a layer's {@link LayerSpec#export ONNX export} writes to: the nodes of one ONNX graph
 * (opset 17, default domain) and its initializers. Values are named tensors whose first dimension
 * is the batch; a {@link Value} carries one sample's shape beside the name, as {@link LayerSpec#infer}
 * sees it. One context exports one model; not thread-safe.
 *
 * <p>Op and attribute names are those of the ONNX operator reference
 * (https://onnx.ai/onnx/operators/), at the versions current in opset 17.
 */
public interface ExportContext {

    /**
     * A value of the graph.
     *
     * @param name its name in the graph
     * @param shape one sample's shape (the batch dimension, dynamic in the graph, left out)
     */
    record Value(String name, long[] shape) {
        public Value {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /**
     * A node attribute ({@code AttributeProto}) of one of the three types layers need.
     *
     * @param type which of {@code i}, {@code f} and {@code ints} holds the value
     */
    record Attribute(String name, Type type, long i, float f, long[] ints) {
        /** {@code AttributeProto.AttributeType}: INT, FLOAT or INTS. */
        public enum Type { INT, FLOAT, INTS }

        public Attribute {
            ints = ints == null ? null : ints.clone();
        }

        @Override
        public long[] ints() {
            return ints == null ? null : ints.clone();
        }

        /** An integer attribute ({@code axis}, {@code group}, {@code transB}, ...). */
        public static Attribute of(String name, long value) {
            return new Attribute(name, Type.INT, value, 0, null);
        }

        /** A float attribute ({@code epsilon}, {@code alpha}, ...). */
        public static Attribute real(String name, double value) {
            return new Attribute(name, Type.FLOAT, 0, (float) value, null);
        }

        /** An integer-list attribute ({@code pads}, {@code strides}, {@code perm}, ...). */
        public static Attribute ints(String name, long... values) {
            return new Attribute(name, Type.INTS, 0, 0, values);
        }
    }

    /**
     * Exports a nested layer under its full name {@code path}.
     *
     * @return its output, with the per-sample shape {@link LayerSpec#infer} gives it
     */
    Value export(LayerSpec child, String path, Value input);

    /**
     * Adds a node with one output, named after {@code path} (the layer it belongs to) and {@code op}.
     *
     * @param inputs the input values' names in the op's order; {@code ""} for an absent optional input
     * @return the name of its output
     */
    String node(String path, String op, List<String> inputs, Attribute... attributes);

    /**
     * The model's tensor {@code name} (its PyTorch {@code state_dict} name) as a float32
     * initializer of that same name, added once.
     *
     * @return its name
     */
    String tensor(String name);

    /**
     * The weight {@code name} of a linear or convolution layer, whose rows (axis 0) are its output
     * channels: its float32 initializer, or, when the export quantizes weights to int8, the output of
     * a {@code DequantizeLinear} of its int8 initializer (see {@code dev.graft.export.Int8Weights}).
     * Either way the value holds the weight's float values in the weight's own layout.
     *
     * @return the name of the value holding the weight
     */
    String weight(String name);

    /** A constant int64 tensor {@code [values.length]} (shapes, axes, starts, ends, indices). */
    String ints(long... values);

    /** A constant int64 scalar (rank 0), such as a {@code Gather} index that drops its axis. */
    String intScalar(long value);

    /** A constant float32 scalar (rank 0), which broadcasts against any float tensor. */
    String scalar(double value);

    /**
     * The error for a layer this export cannot write: one line naming the spec, the layer and why.
     */
    SpecException refuse(String path, String why);
}
