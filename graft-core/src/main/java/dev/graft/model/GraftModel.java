package dev.graft.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A spec built as DJL blocks, with every tensor reachable by its PyTorch {@code state_dict} name.
 * {@code num_batches_tracked} counters, which DJL has no place for, are kept beside the blocks so
 * that a model written back out loads into PyTorch strictly.
 *
 * <p>Not thread-safe for training; concurrent {@link #predict} calls are safe.
 */
public final class GraftModel implements AutoCloseable {
    private final ModelLayout layout;
    private final NDManager manager;
    private final Block block;
    private final Map<String, Parameter> parameters;
    private final Map<String, Long> counters;
    private final Map<String, StatsFreezableBatchNorm> norms;
    private final Map<String, Placement> layers;

    private GraftModel(ModelLayout layout, NDManager manager, Block block,
            Map<String, Parameter> parameters, Map<String, Long> counters,
            Map<String, StatsFreezableBatchNorm> norms, Map<String, Placement> layers) {
        this.layers = layers;
        this.layout = layout;
        this.manager = manager;
        this.block = block;
        this.parameters = parameters;
        this.counters = counters;
        this.norms = norms;
    }

    /** The BatchNorm layers' full names, in order. */
    public java.util.List<String> batchNormLayers() {
        return java.util.List.copyOf(norms.keySet());
    }

    /**
     * Freezes or thaws a BatchNorm layer's running statistics: while frozen the layer normalizes
     * with them and leaves them unchanged, also in training.
     */
    public void setBatchNormStatsFrozen(String layer, boolean frozen) {
        StatsFreezableBatchNorm n = norms.get(layer);
        if (n == null) {
            throw new NoSuchElementException("no BatchNorm layer '" + layer + "'");
        }
        n.setStatsFrozen(frozen);
    }

    /** Counts a training step for every BatchNorm whose statistics moved, as PyTorch's counter does. */
    public void countBatchNormStep() {
        norms.forEach((name, n) -> {
            if (!n.statsFrozen()) {
                counters.merge(name + ".num_batches_tracked", 1L, Long::sum);
            }
        });
    }

    /**
     * Builds and initializes the blocks of a spec on a new child of {@code parent}. Initial values
     * are DJL's defaults; load a state to set them.
     */
    public static GraftModel build(ModelLayout layout, NDManager parent) {
        Engines.pytorch();
        Map<String, Parameter> params = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, StatsFreezableBatchNorm> norms = new LinkedHashMap<>();
        Map<String, Placement> layers = new LinkedHashMap<>();
        Block root = layout.spec().root().build("", new Builder(params, counters, norms, layers));
        NDManager manager = parent.newSubManager();
        long[] in = layout.spec().input().sizes();
        long[] withBatch = new long[in.length + 1];
        withBatch[0] = 1;
        System.arraycopy(in, 0, withBatch, 1, in.length);
        root.initialize(manager, DataType.FLOAT32, new Shape(withBatch));
        for (ParamInfo p : layout.params()) {
            if (p.role() != ParamRole.NUM_BATCHES_TRACKED) {
                Parameter param = params.get(p.name());
                Shape actual = param.getArray().getShape();
                if (!actual.equals(new Shape(p.dims().sizes()))) {
                    throw new IllegalStateException("layout says " + p.name() + " is " + p.dims()
                            + " but the engine built " + actual);
                }
            }
        }
        java.util.Set<Parameter> mapped = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        mapped.addAll(params.values());
        for (var p : root.getParameters()) {
            if (!mapped.contains(p.getValue())) {
                throw new IllegalStateException("the engine built parameter " + p.getKey()
                        + " that no layer maps to a PyTorch name");
            }
        }
        return new GraftModel(layout, manager, root, Collections.unmodifiableMap(params), counters, norms, layers);
    }

    /** Collects what the layers' builds record. */
    private record Builder(Map<String, Parameter> params, Map<String, Long> counters,
            Map<String, StatsFreezableBatchNorm> norms, Map<String, Placement> layers) implements BuildContext {

        @Override
        public Block build(LayerSpec child, String path) {
            return child.build(path, this);
        }

        @Override
        public void parameters(Block b, String layer, String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (b.getParameters().contains(pairs[i])) {
                    params.put(layer + "." + pairs[i + 1], b.getParameters().get(pairs[i]));
                }
            }
        }

        @Override
        public void placed(String path, NamedSequentialBlock parent, Block child) {
            layers.put(path, new Placement(parent, child));
        }

        @Override
        public void batchNorm(String layer, StatsFreezableBatchNorm norm) {
            counters.put(layer + ".num_batches_tracked", 0L);
            norms.put(layer, norm);
        }
    }

    /** Where a named layer sits: its sequential parent and its block (for taps). */
    private record Placement(NamedSequentialBlock parent, Block block) {}

    /**
     * What a layer received in the latest forward pass: a view into the network that lets a
     * second head share its trunk (retention, Learning without Forgetting). The array belongs to
     * that pass's scope and is valid until the next one.
     */
    public static final class Tap {
        private NDArray last;

        void seen(NDArray input) {
            last = input;
        }

        /** The input of the tapped layer in the latest forward pass. */
        public NDArray input() {
            if (last == null) {
                throw new IllegalStateException("no forward pass since the tap was set");
            }
            return last;
        }
    }

    /**
     * A tap on the input of {@code layer} (its full name, such as {@code classifier.4}).
     *
     * @throws IllegalArgumentException if the model has no layer of that name in a sequential group
     */
    public Tap tapInput(String layer) {
        Placement where = layers.get(layer);
        if (where == null) {
            throw new IllegalArgumentException("no layer '" + layer + "' in " + layout.spec().name());
        }
        Tap t = new Tap();
        where.parent().tap(where.block(), t);
        return t;
    }

    public ModelLayout layout() {
        return layout;
    }

    /** The root block, for training loops. */
    public Block block() {
        return block;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** DJL parameters by PyTorch name (everything but {@code num_batches_tracked}). */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /**
     * Sets every tensor of the model from {@code state}, which must hold exactly the model's
     * names with the model's shapes (floating types are converted to float32).
     *
     * @throws IllegalArgumentException if a tensor is missing, extra or mis-shaped
     */
    public void load(Map<String, Tensor> state) {
        for (String name : state.keySet()) {
            if (layout.param(name).isEmpty()) {
                throw new IllegalArgumentException("the model has no tensor named '" + name + "'");
            }
        }
        for (ParamInfo p : layout.params()) {
            Tensor t = state.get(p.name());
            if (t == null) {
                throw new NoSuchElementException("no value for '" + p.name() + "'");
            }
            if (!t.dims().equals(p.dims())) {
                throw new IllegalArgumentException(p.name() + " is " + p.dims() + " in the model but "
                        + t.dims() + " in the state");
            }
            if (p.role() == ParamRole.NUM_BATCHES_TRACKED) {
                counters.put(p.name(), (long) t.toFloats()[0]);
                continue;
            }
            NDArray target = parameters.get(p.name()).getArray();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray src = EngineTensors.toNDArray(scratch, Tensor.ofFloats(t.dims(), t.toFloats()));
                target.set(new NDIndex(":"), src);
            }
        }
    }

    /** Every tensor, in PyTorch's {@code state_dict} order, as float32 (counters as int64). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParamInfo p : layout.params()) {
            if (p.role() == ParamRole.NUM_BATCHES_TRACKED) {
                out.put(p.name(), Tensor.ofLongs(p.dims(), new long[] {counters.get(p.name())}));
            } else {
                out.put(p.name(), EngineTensors.fromNDArray(parameters.get(p.name()).getArray()));
            }
        }
        return out;
    }

    /** Runs the model in inference mode (BatchNorm uses running statistics, dropout is off). */
    public NDArray predict(NDArray input) {
        ParameterStore store = new ParameterStore(input.getManager(), false);
        return block.forward(store, new NDList(input), false).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
