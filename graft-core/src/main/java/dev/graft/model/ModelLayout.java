package dev.graft.model;

import dev.graft.checkpoint.Dims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every tensor of a spec'd model with its shape (in {@code state_dict} order), the output shape,
 * the unit graph used by unit surgery, the head, and the layer groups that per-layer decisions
 * take. Computed from the spec alone, without the engine; each layer's own {@link LayerSpec#infer}
 * says what it adds.
 *
 * @param spec the spec
 * @param params the model's tensors in PyTorch's {@code state_dict} order
 * @param units the unit layers (linear and convolution) by full name, in order: the unit graph's nodes
 * @param producers for each unit layer fed by others, those producers' names (several after a residual sum)
 * @param output the per-sample output shape
 * @param headLayer the head: the spec's {@code head}, or the one unit layer whose units feed no other
 * @param inputLayers the unit layers that read the network's input channels unmixed (the stem's
 *     convolution, and any other layer before the first unit layer): the tensors whose input
 *     channels follow the data's, adapted automatically when a source was trained on other channels
 * @param sharedUnits units spanning row blocks of several unit layers (attention heads) by the
 *     name of the module holding them; a producer in {@code producers} may be one of these
 * @param groups the layer groups in model order, which partition {@code params} (see {@link LayerGroup})
 */
public record ModelLayout(ModelSpec spec, List<ParamInfo> params, Map<String, UnitLayer> units,
        Map<String, List<String>> producers, Dims output, Optional<String> headLayer, List<String> inputLayers,
        Map<String, SharedUnits> sharedUnits, List<LayerGroup> groups) {

    /**
     * Infers every shape of the spec.
     *
     * @throws SpecException if a layer cannot take the shape it receives, or the spec's head is not
     *     a unit layer of the model
     */
    public static ModelLayout of(ModelSpec spec) {
        Walker w = new Walker(spec.source());
        long[] out = spec.root().infer("", spec.input().sizes(), w);
        Map<String, UnitLayer> units = new LinkedHashMap<>();
        Map<String, SharedUnits> shared = new LinkedHashMap<>();
        for (Builder b : w.unitBuilders.values()) {
            if (b.shared != null) {
                shared.put(b.layer, new SharedUnits(b.layer, b.shared.noun, b.units, b.shared.rows, b.shared.members,
                        b.consumers, b.shared.noWidening));
            } else {
                units.put(b.layer, new UnitLayer(b.layer, b.units, b.followers, b.layerNormed, b.consumers,
                        Optional.ofNullable(b.joined)));
            }
        }
        Map<String, List<String>> producers = new LinkedHashMap<>();
        w.producers.forEach((k, v) -> producers.put(k, List.copyOf(v)));
        Optional<String> head;
        if (spec.head().isPresent()) {
            String h = spec.head().get();
            if (!units.containsKey(h)) {
                throw new SpecException(spec.source() + ": head '" + h
                        + "' is not a linear or convolution layer of the model");
            }
            head = Optional.of(h);
        } else {
            List<String> sinks = sinks(units);
            head = sinks.size() == 1 ? Optional.of(sinks.get(0)) : Optional.empty();
        }
        List<LayerGroup> groups = LayerGroup.partition(w.params, List.copyOf(units.keySet()), w.blockOf);
        return new ModelLayout(spec, List.copyOf(w.params), Collections.unmodifiableMap(units),
                Collections.unmodifiableMap(producers), new Dims(out), head, List.copyOf(w.inputLayers),
                Collections.unmodifiableMap(shared), List.copyOf(groups));
    }

    /**
     * The per-sample output shape of one layer at {@code path} for {@code input}, as {@link #of}
     * infers it within a model (nothing is recorded). For walks over a built spec, such as an
     * export, that need each nested layer's output shape.
     *
     * @throws SpecException if the layer cannot take {@code input}
     */
    public static long[] outputShape(LayerSpec layer, String path, long[] input, String source) {
        return new Walker(source).infer(layer, path, input);
    }

    private static List<String> sinks(Map<String, UnitLayer> units) {
        return units.values().stream().filter(u -> u.consumers().isEmpty()).map(UnitLayer::layer).toList();
    }

    /** This model's tensors out of {@code all} (a larger model's), in {@code state_dict} order. */
    public Map<String, dev.graft.checkpoint.Tensor> tensorsOf(Map<String, dev.graft.checkpoint.Tensor> all) {
        Map<String, dev.graft.checkpoint.Tensor> out = new java.util.LinkedHashMap<>();
        for (ParamInfo q : params) {
            out.put(q.name(), all.get(q.name()));
        }
        return out;
    }

    /** What the model's first layer expects of token ids, when the model reads them (a text model). */
    public Optional<TokenInput> tokenInput() {
        LayerSpec first = spec.root();
        while (!first.children().isEmpty()) {
            first = first.children().get(0);
        }
        return first.tokenInput();
    }

    /**
     * The head layer's full name (the classifier, re-initialized for a new task): the spec's
     * {@code head}, or, when the spec names none, the only unit layer whose units feed no other.
     *
     * @throws SpecException if the spec names no head and there is not exactly one such layer
     */
    public String head() {
        return headLayer.orElseThrow(() -> new SpecException(spec.source()
                + ": name the head layer with head: NAME" + (units.isEmpty() ? " (the model has no linear or"
                + " convolution layer)" : " (candidates: " + String.join(", ", sinks(units)) + ")")));
    }

    /** The layer group of this name, if the model has it. */
    public Optional<LayerGroup> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Each tensor's layer group, by the tensor's full name (every tensor of the model has one). */
    public Map<String, LayerGroup> groupOfTensor() {
        Map<String, LayerGroup> out = new LinkedHashMap<>();
        groups.forEach(g -> g.tensors().forEach(t -> out.put(t, g)));
        return out;
    }

    /**
     * The head's layer group: the head layer with its BatchNorm (or the block holding the head),
     * re-initialized for a new task.
     *
     * @throws SpecException as {@link #head()}
     */
    public LayerGroup headGroup() {
        String h = head();
        return groups.stream().filter(g -> g.units().contains(h)).findFirst().orElseThrow();
    }

    /** The tensor of this name, if the model has it. */
    public Optional<ParamInfo> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The unit layer whose rows a tensor is indexed by (its own layer, or the one a BatchNorm follows). */
    public Optional<UnitLayer> rowOwner(ParamInfo p) {
        if (p.role() == ParamRole.NUM_BATCHES_TRACKED) {
            return Optional.empty();
        }
        UnitLayer own = units.get(p.layer());
        if (own != null) {
            return Optional.of(own);
        }
        return units.values().stream().filter(u -> u.followers().contains(p.layer())).findFirst();
    }

    /**
     * The shared units whose row blocks hold {@code p}'s rows: an attention layer's heads for the
     * query's, key's or value's weight and bias.
     */
    public Optional<SharedUnits> sharedOwner(ParamInfo p) {
        if (p.role() != ParamRole.WEIGHT && p.role() != ParamRole.BIAS) {
            return Optional.empty();
        }
        return sharedUnits.values().stream().filter(s -> s.members().contains(p.layer())).findFirst();
    }

    /** The edge from {@code producer} (a unit layer or shared units) to {@code consumer}, if there is one. */
    public Optional<UnitLayer.Consumer> edge(String producer, String consumer) {
        UnitLayer u = units.get(producer);
        if (u != null) {
            return u.consumer(consumer);
        }
        SharedUnits s = sharedUnits.get(producer);
        return s == null ? Optional.empty() : s.consumer(consumer);
    }

    private static final class Builder {
        final String layer;
        final int units;
        final List<String> followers = new ArrayList<>();
        final List<UnitLayer.Consumer> consumers = new ArrayList<>();
        boolean layerNormed;
        String joined;
        /** Set for shared units (heads), which become {@link SharedUnits}, not unit layers. */
        Shared shared;

        Builder(String layer, int units) {
            this.layer = layer;
            this.units = units;
        }
    }

    private record Shared(String noun, int rows, List<String> members, Optional<String> noWidening) {}

    /** The most elements one tensor may have: what a Java array (and so a float[] copy) can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private static final class Walker implements LayoutContext {
        final String file;
        final List<ParamInfo> params = new ArrayList<>();
        final Map<String, Builder> unitBuilders = new LinkedHashMap<>();
        final Map<String, List<String>> producers = new LinkedHashMap<>();
        final List<String> inputLayers = new ArrayList<>();
        /** The block (a layer whose tensors form one layer group) each tensor was declared in. */
        final Map<String, String> blockOf = new LinkedHashMap<>();
        /** The outermost block being inferred, or null. */
        String block;
        UnitFlow flow = UnitFlow.INPUT;

        Walker(String file) {
            this.file = file;
        }

        @Override
        public long[] infer(LayerSpec child, String path, long[] input) {
            // a block nested in another belongs to the outer one's group
            boolean opens = block == null && child.layerGroup();
            if (opens) {
                block = path;
            }
            long[] out = child.infer(path, input, this);
            if (opens) {
                block = null;
            }
            elements(path, "output", out);
            return out;
        }

        @Override
        public UnitFlow flow() {
            return flow;
        }

        @Override
        public void flow(UnitFlow f) {
            flow = f;
        }

        @Override
        public void produces(String layer, int units, boolean grouped) {
            if (flow.equals(UnitFlow.INPUT)) {
                inputLayers.add(layer);
            }
            for (String p : flow.producers()) {
                unitBuilders.get(p).consumers.add(new UnitLayer.Consumer(layer, flow.block(), grouped));
                producers.computeIfAbsent(layer, k -> new ArrayList<>()).add(p);
            }
            if (unitBuilders.put(layer, new Builder(layer, units)) != null) {
                throw new IllegalStateException("two unit layers named " + layer);
            }
            flow = UnitFlow.of(layer);
        }

        @Override
        public void sharesUnits(String layer, String noun, int units, int rows, List<String> members,
                Optional<String> noWidening) {
            for (String m : members) {
                Builder b = unitBuilders.get(m);
                if (b == null || b.shared != null || b.units != units * rows) {
                    throw new IllegalStateException(layer + ": member " + m + " is not a unit layer of "
                            + units + " x " + rows + " units");
                }
            }
            Builder b = new Builder(layer, units);
            b.shared = new Shared(noun, rows, List.copyOf(members), noWidening);
            if (unitBuilders.put(layer, b) != null) {
                throw new IllegalStateException("two unit layers named " + layer);
            }
            flow = new UnitFlow(List.of(layer), false, rows);
        }

        @Override
        public void normalizesUnits(String layer) {
            flow.single().ifPresent(p -> unitBuilders.get(p).followers.add(layer));
        }

        @Override
        public void mixesUnits(String layer) {
            flow.single().ifPresent(p -> unitBuilders.get(p).layerNormed = true);
        }

        @Override
        public void spreads(int columns) {
            flow = flow.times(columns);
        }

        @Override
        public void joins(UnitFlow f, String how) {
            f.producers().stream().map(unitBuilders::get).filter(b -> b.joined == null).forEach(b -> b.joined = how);
        }

        @Override
        public void param(String layer, String type, ParamRole role, ParamInit init, boolean decayed, int fanIn,
                long... dims) {
            elements(layer, role.suffix(), dims);
            params.add(new ParamInfo(layer + "." + role.suffix(), new Dims(dims), role, layer, type, fanIn, init,
                    decayed));
            if (block != null) {
                blockOf.put(layer + "." + role.suffix(), block);
            }
        }

        /**
         * The element count of a shape, refused when it overflows or exceeds what one tensor can
         * hold, so that a huge size in a spec is a spec error naming the layer, never an
         * arithmetic overflow or an allocation failure later.
         */
        @Override
        public long elements(String layer, String what, long[] shape) {
            long n = 1;
            boolean overflow = false;
            for (long v : shape) {
                try {
                    n = Math.multiplyExact(n, v);
                } catch (ArithmeticException e) {
                    overflow = true;
                    break;
                }
            }
            need(!overflow && n <= MAX_ELEMENTS, layer, "too large: its " + what + " " + Arrays.toString(shape)
                    + " has " + (overflow ? "more than 2^63" : String.valueOf(n)) + " elements, more than one tensor can hold ("
                    + MAX_ELEMENTS + ")");
            return n;
        }

        @Override
        public void need(boolean ok, String layer, String problem) {
            if (!ok) {
                throw new SpecException(file + ": layer " + layer + ": " + problem);
            }
        }
    }
}
