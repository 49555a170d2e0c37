package dev.graft.checkpoint;

import dev.graft.checkpoint.OnnxGraph.Node;
import dev.graft.checkpoint.OnnxProto.RawTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gives anonymous ONNX initializers back their PyTorch names.
 *
 * <p>PyTorch's exporter keeps the {@code state_dict} name of most parameters, but the weight of an
 * {@code nn.Linear} applied to a 3-d input becomes a {@code MatMul} operand: it is stored
 * transposed ({@code [in, out]}) under a made-up name such as {@code onnx::MatMul_1234}. The
 * module's path survives in the node's name ({@code /encoder/layer.0/attention/self/query/MatMul}),
 * and the bias keeps its own name in the {@code Add} that follows. So such a weight is renamed
 * {@code encoder.layer.0.attention.self.query.weight} and transposed to {@code [out, in]} when the
 * node name and the bias agree (or when only one of them is there); otherwise it keeps its name
 * and layout, and a note says why.
 */
final class OnnxNames {
    private OnnxNames() {}

    /** A PyTorch state_dict name: dotted identifiers, as in {@code encoder.layer.0.output.dense.bias}. */
    private static final Pattern TORCH_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");
    private static final Pattern MATMUL_NODE = Pattern.compile("/(.+)/MatMul(_\\d+)?");

    /**
     * What became of one initializer.
     *
     * @param name its name in the store
     * @param transposed whether its two axes are swapped from the file's {@code [in, out]}
     * @param note how the name was found, or why it was kept; null for a named parameter kept as is
     */
    record Outcome(String name, boolean transposed, String note) {}

    /**
     * The outcome for each initializer, in file order.
     *
     * @param types each initializer's element type, in the same order
     */
    static List<Outcome> recover(List<RawTensor> inits, List<DType> types, List<Node> nodes) {
        Map<String, List<Node>> consumers = new HashMap<>();
        Map<String, List<Integer>> slots = new HashMap<>();
        for (Node n : nodes) {
            for (int i = 0; i < n.inputs().size(); i++) {
                consumers.computeIfAbsent(n.inputs().get(i), k -> new ArrayList<>()).add(n);
                slots.computeIfAbsent(n.inputs().get(i), k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, RawTensor> byName = new HashMap<>();
        for (RawTensor t : inits) {
            byName.put(t.name(), t);
        }
        Set<String> taken = new HashSet<>(byName.keySet());
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < inits.size(); i++) {
            RawTensor t = inits.get(i);
            DType type = types.get(i);
            if (TORCH_NAME.matcher(t.name()).matches()) {
                out.add(new Outcome(t.name(), false, type.isFloating() ? null
                        : type.name().toLowerCase(java.util.Locale.ROOT) + " buffer, not a parameter; kept as stored"));
                continue;
            }
            out.add(anonymous(t, type, consumers.getOrDefault(t.name(), List.of()),
                    slots.getOrDefault(t.name(), List.of()), consumers, byName, taken));
        }
        return out;
    }

    private static Outcome anonymous(RawTensor t, DType type, List<Node> users, List<Integer> slots,
            Map<String, List<Node>> consumers, Map<String, RawTensor> byName, Set<String> taken) {
        String kept = "anonymous; kept as '" + t.name() + "': ";
        if (users.isEmpty()) {
            return new Outcome(t.name(), false, kept + "no node reads it");
        }
        if (users.size() > 1) {
            return new Outcome(t.name(), false, kept + "read by " + users.size() + " nodes, so no single module owns it");
        }
        Node mm = users.get(0);
        if (!mm.opType().equals("MatMul") || slots.get(0) != 1 || t.dims().length != 2 || !type.isFloating()) {
            return new Outcome(t.name(), false, kept + "input " + slots.get(0) + " of " + mm.opType() + " node '"
                    + mm.name() + "', not a linear layer's weight");
        }
        long in = t.dims()[0];
        long outSize = t.dims()[1];
        var node = MATMUL_NODE.matcher(mm.name());
        String fromNode = node.matches() ? node.group(1).replace('/', '.') : null;
        if (fromNode != null && !TORCH_NAME.matcher(fromNode).matches()) {
            fromNode = null;
        }
        // the bias: the other operand of the Add that alone reads the MatMul's output
        String biasName = null;
        String fromBias = null;
        List<Node> next = mm.outputs().isEmpty() ? List.of() : consumers.getOrDefault(mm.outputs().get(0), List.of());
        if (next.size() == 1 && next.get(0).opType().equals("Add") && next.get(0).inputs().size() == 2) {
            Node add = next.get(0);
            String other = add.inputs().get(0).equals(mm.outputs().get(0)) ? add.inputs().get(1) : add.inputs().get(0);
            RawTensor bias = byName.get(other);
            if (bias != null && other.endsWith(".bias") && TORCH_NAME.matcher(other).matches()) {
                if (bias.dims().length != 1 || bias.dims()[0] != outSize) {
                    return new Outcome(t.name(), false, kept + "MatMul '" + mm.name() + "' adds bias '" + other + "' of shape "
                            + java.util.Arrays.toString(bias.dims()) + ", not [" + outSize + "]");
                }
                biasName = other;
                fromBias = other.substring(0, other.length() - ".bias".length());
            }
        }
        String prefix;
        String how;
        if (fromNode != null && fromBias != null) {
            if (!fromNode.equals(fromBias)) {
                return new Outcome(t.name(), false, kept + "MatMul node '" + mm.name() + "' names module '" + fromNode
                        + "' but its bias is '" + biasName + "'");
            }
            prefix = fromNode;
            how = "from MatMul node '" + mm.name() + "', confirmed by the Add's bias '" + biasName + "' [" + outSize + "]";
        } else if (fromNode != null) {
            prefix = fromNode;
            how = "from MatMul node '" + mm.name() + "' (no bias to confirm it)";
        } else if (fromBias != null) {
            prefix = fromBias;
            how = "from the bias '" + biasName + "' its MatMul's output is added to";
        } else {
            return new Outcome(t.name(), false, kept + "MatMul node '" + mm.name()
                    + "' has no module path in its name and no named bias");
        }
        String name = prefix + ".weight";
        if (!taken.add(name)) {
            return new Outcome(t.name(), false, kept + "its derived name '" + name + "' is taken");
        }
        return new Outcome(name, true, "renamed from '" + t.name() + "' " + how + "; transposed from [in, out] = ["
                + in + ", " + outSize + "] to nn.Linear's [out, in]");
    }
}
