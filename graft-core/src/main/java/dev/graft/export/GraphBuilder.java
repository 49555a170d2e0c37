package dev.graft.export;

import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.Tensor;
import dev.graft.model.ExportContext;
import dev.graft.model.LayerSpec;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the nodes and initializers the layers' exports add. Node names are {@code /PATH/Op}
 * (with {@code _N} appended when a layer uses an op again) and their outputs {@code NAME_output_0},
 * the scheme of PyTorch's exporter; constants are initializers named {@code /const_N}, one per
 * distinct value. One builder exports one model; not thread-safe.
 */
final class GraphBuilder implements ExportContext {
    private final String source;
    private final Map<String, Tensor> tensors;
    private final boolean int8;
    private final List<OnnxModelWriter.Node> nodes = new ArrayList<>();
    private final Map<String, OnnxModelWriter.Initializer> initializers = new LinkedHashMap<>();
    private final Map<String, String> weights = new HashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final List<String> quantized = new ArrayList<>();

    /**
     * @param source the spec's file, for error messages
     * @param tensors the model's tensors by PyTorch name
     * @param int8 whether linear and convolution weights are quantized ({@link #weight})
     */
    GraphBuilder(String source, Map<String, Tensor> tensors, boolean int8) {
        this.source = source;
        this.tensors = tensors;
        this.int8 = int8;
    }

    List<OnnxModelWriter.Node> nodes() {
        return List.copyOf(nodes);
    }

    List<OnnxModelWriter.Initializer> initializers() {
        return List.copyOf(initializers.values());
    }

    /** Whether the graph reads the model's tensor {@code name}: as an initializer, or dequantized from int8. */
    boolean reads(String name) {
        return initializers.containsKey(name) || weights.containsKey(name);
    }

    /** The weights quantized to int8, in the order they were added. */
    List<String> quantized() {
        return List.copyOf(quantized);
    }

    /** Names {@code value} {@code name} (the graph's output) with an {@code Identity} node. */
    void output(String value, String name) {
        nodes.add(new OnnxModelWriter.Node(unique("/" + name + "/Identity"), "Identity", List.of(value), name, List.of()));
    }

    @Override
    public Value export(LayerSpec child, String path, Value input) {
        String out = child.export(path, input, this);
        return new Value(out, ModelLayout.outputShape(child, path, input.shape(), source));
    }

    @Override
    public String node(String path, String op, List<String> inputs, Attribute... attributes) {
        String name = unique(path.isEmpty() ? "/" + op : "/" + path + "/" + op);
        String output = name + "_output_0";
        names.add(output);
        nodes.add(new OnnxModelWriter.Node(name, op, inputs, output, List.of(attributes)));
        return output;
    }

    private String unique(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    @Override
    public String tensor(String name) {
        if (weights.containsKey(name)) {
            throw new IllegalStateException(name + " is read both as a float tensor and as an int8 weight");
        }
        if (!initializers.containsKey(name)) {
            Tensor t = require(name);
            ByteBuffer raw = t.dtype() == DType.F32 ? t.data() : Tensor.ofFloats(t.dims(), t.toFloats()).data();
            add(name, OnnxModelWriter.FLOAT, t.dims().sizes(), raw);
        }
        return name;
    }

    /**
     * The float weight, or with int8 its {@link Int8Weights} as three initializers,
     * {@code NAME_quantized} (int8 values, the weight's shape), {@code NAME_scale} (float32, one per
     * row) and {@code NAME_zero_point} (int8 zeros, one per row), read by a {@code DequantizeLinear}
     * with {@code axis} 0 whose output is the value {@code NAME}. No initializer then bears the
     * weight's own name, so a reader that takes initializers as weights (Graft's own, when the
     * file is a transfer source) finds the weight missing rather than taking int8 values for floats.
     */
    @Override
    public String weight(String name) {
        if (!int8) {
            return tensor(name);
        }
        String done = weights.get(name);
        if (done != null) {
            return done;
        }
        Tensor t = require(name);
        Int8Weights q;
        try {
            q = Int8Weights.quantize(t.dims(), t.toFloats());
        } catch (IllegalArgumentException e) {
            throw new SpecException(source + ": tensor " + name + " cannot be quantized to int8: " + e.getMessage());
        }
        int rows = q.scales().length;
        add(name + "_quantized", OnnxModelWriter.INT8, t.dims().sizes(), ByteBuffer.wrap(q.values()));
        ByteBuffer scales = ByteBuffer.allocate(rows * 4).order(ByteOrder.LITTLE_ENDIAN);
        scales.asFloatBuffer().put(q.scales());
        add(name + "_scale", OnnxModelWriter.FLOAT, new long[] {rows}, scales);
        add(name + "_zero_point", OnnxModelWriter.INT8, new long[] {rows}, ByteBuffer.wrap(new byte[rows]));
        String layer = name.substring(0, Math.max(0, name.lastIndexOf('.')));
        if (!names.add(name)) {
            throw new IllegalStateException("a value is already named " + name);
        }
        nodes.add(new OnnxModelWriter.Node(unique("/" + layer + "/DequantizeLinear"), "DequantizeLinear",
                List.of(name + "_quantized", name + "_scale", name + "_zero_point"), name, List.of(Attribute.of("axis", 0))));
        weights.put(name, name);
        quantized.add(name);
        return name;
    }

    @Override
    public String ints(long... values) {
        return constant(OnnxModelWriter.INT64, new long[] {values.length}, values, null);
    }

    @Override
    public String intScalar(long value) {
        return constant(OnnxModelWriter.INT64, new long[0], new long[] {value}, null);
    }

    @Override
    public String scalar(double value) {
        return constant(OnnxModelWriter.FLOAT, new long[0], null, (float) value);
    }

    private String constant(int type, long[] dims, long[] longs, Float f) {
        String key = type + Arrays.toString(dims) + (longs != null ? Arrays.toString(longs) : Float.toString(f));
        String done = constants.get(key);
        if (done != null) {
            return done;
        }
        ByteBuffer raw;
        if (longs != null) {
            raw = ByteBuffer.allocate(longs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            raw.asLongBuffer().put(longs);
        } else {
            raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, f);
        }
        String name = "/const_" + constants.size();
        add(name, type, dims, raw);
        constants.put(key, name);
        return name;
    }

    @Override
    public SpecException refuse(String path, String why) {
        return new SpecException(source + ": layer " + (path.isEmpty() ? "(root)" : path) + ": " + why);
    }

    private Tensor require(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException("the export reads tensor '" + name + "', which the model does not have");
        }
        return t;
    }

    private void add(String name, int type, long[] dims, ByteBuffer raw) {
        if (initializers.put(name, new OnnxModelWriter.Initializer(name, type, dims, raw)) != null) {
            throw new IllegalStateException("two initializers named " + name);
        }
    }
}
