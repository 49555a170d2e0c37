package dev.graft.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes of an ONNX model's main graph, in file order, with the numbers their attributes hold:
 * enough to read a model's settings off its graph (a BERT export's head count from its attention
 * reshape, its LayerNorm epsilon from the constant added before the square root). Immutable and
 * thread-safe.
 *
 * @param nodes the nodes in file order
 */
public record OnnxGraph(List<Node> nodes) {

    /** The most values one attribute may hold for its numbers to be kept (larger tensors are skipped). */
    public static final int MAX_ATTRIBUTE_VALUES = 4096;

    /**
     * A node of the graph.
     *
     * @param name its name, such as {@code /encoder/layer.0/attention/self/Reshape} (may be empty)
     * @param opType its operator, such as {@code MatMul}
     * @param inputs the names of the values it reads, in order
     * @param outputs the names of the values it writes, in order
     * @param numbers its numeric attributes by name (an {@code f}, {@code i}, {@code floats},
     *     {@code ints}, or a numeric tensor {@code t} of at most {@link #MAX_ATTRIBUTE_VALUES}
     *     values, such as a {@code Constant}'s {@code value}), each as doubles in row-major order
     */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs,
            Map<String, double[]> numbers) {
        public Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            numbers = Map.copyOf(numbers);
        }

        /** A node without attributes. */
        public Node(String name, String opType, List<String> inputs, List<String> outputs) {
            this(name, opType, inputs, outputs, Map.of());
        }

        /** The numbers of attribute {@code key}, if it is numeric and was kept. */
        public Optional<double[]> number(String key) {
            return Optional.ofNullable(numbers.get(key)).map(double[]::clone);
        }
    }

    public OnnxGraph {
        nodes = List.copyOf(nodes);
    }

    /**
     * The values of {@code value} when a {@code Constant} node makes it (from its {@code value},
     * {@code value_float(s)} or {@code value_int(s)} attribute).
     */
    public Optional<double[]> constant(String value) {
        for (Node n : nodes) {
            if (n.opType().equals("Constant") && n.outputs().contains(value)) {
                for (String key : List.of("value", "value_float", "value_floats", "value_int", "value_ints")) {
                    Optional<double[]> v = n.number(key);
                    if (v.isPresent()) {
                        return v;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The node that writes {@code value}, if one does. */
    public Optional<Node> producer(String value) {
        return nodes.stream().filter(n -> n.outputs().contains(value)).findFirst();
    }

    /** The nodes that read {@code value}, in file order. */
    public List<Node> readers(String value) {
        return nodes.stream().filter(n -> n.inputs().contains(value)).toList();
    }
}
