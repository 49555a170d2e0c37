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
 * and the unit graph used by unit surgery. Computed from the spec alone, without the engine.
 *
 * @param spec the spec
 * @param params the model's tensors in PyTorch's {@code state_dict} order
 * @param units the linear and convolution layers by full name, in order
 * @param producers for each unit layer fed directly by another, that producer's name
 * @param output the per-sample output shape
 */
public record ModelLayout(ModelSpec spec, List<ParamInfo> params, Map<String, UnitLayer> units,
        Map<String, String> producers, Dims output) {

    /**
     * Infers every shape of the spec.
     *
     * @throws SpecException if a layer cannot take the shape it receives
     */
    public static ModelLayout of(ModelSpec spec) {
        Walker w = new Walker(spec.source());
        long[] out = w.sequential(spec.root(), "", spec.input().sizes(), new Flow());
        Map<String, UnitLayer> units = new LinkedHashMap<>();
        for (Builder b : w.unitBuilders) {
            units.put(b.layer, new UnitLayer(b.layer, b.units, List.copyOf(b.followers), b.layerNormed,
                    Optional.ofNullable(b.consumer), b.consumerBlock, b.consumerGrouped, b.feedsResidual));
        }
        return new ModelLayout(spec, List.copyOf(w.params), Collections.unmodifiableMap(units),
                Collections.unmodifiableMap(w.producers), new Dims(out));
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

    private static final class Builder {
        final String layer;
        final int units;
        final List<String> followers = new ArrayList<>();
        boolean layerNormed;
        String consumer;
        int consumerBlock = 1;
        boolean consumerGrouped;
        boolean feedsResidual;

        Builder(String layer, int units) {
            this.layer = layer;
            this.units = units;
        }
    }

    /** The unit layer whose output is flowing, and how many columns each of its units became. */
    private static final class Flow {
        Builder pending;
        int block = 1;
    }

    /** The most elements one tensor may have: what a Java array (and so a float[] copy) can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private static final class Walker {
        final String file;
        final List<ParamInfo> params = new ArrayList<>();
        final List<Builder> unitBuilders = new ArrayList<>();
        final Map<String, String> producers = new LinkedHashMap<>();

        Walker(String file) {
            this.file = file;
        }

        long[] sequential(LayerSpec.Sequential seq, String prefix, long[] shape, Flow flow) {
            for (LayerSpec l : seq.layers()) {
                String name = prefix.isEmpty() ? l.name() : prefix + "." + l.name();
                shape = layer(l, name, shape, flow);
            }
            return shape;
        }

        private long[] layer(LayerSpec l, String name, long[] s, Flow flow) {
            long[] out = shapeOf(l, name, s, flow);
            elements(name, "output", out);
            return out;
        }

        private long[] shapeOf(LayerSpec l, String name, long[] s, Flow flow) {
            if (l instanceof LayerSpec.Linear lin) {
                need(s.length == 1, name, "linear needs a flat input [features], got "
                        + Arrays.toString(s) + "; add a flatten layer before it");
                int in = (int) s[0];
                add(name, ParamRole.WEIGHT, "linear", in, lin.out(), in);
                if (lin.bias()) {
                    add(name, ParamRole.BIAS, "linear", in, lin.out());
                }
                connect(flow, name, lin.out(), false);
                return new long[] {lin.out()};
            }
            if (l instanceof LayerSpec.Conv2d c) {
                need(s.length == 3, name, "conv2d needs input [C, H, W], got " + Arrays.toString(s));
                need(s[0] % c.groups() == 0, name, "input channels " + s[0]
                        + " are not divisible by groups " + c.groups());
                long h = (s[1] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                long w = (s[2] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                need(s[1] + 2L * c.padding() >= c.kernel() && s[2] + 2L * c.padding() >= c.kernel(),
                        name, "kernel " + c.kernel() + " is larger than the padded input " + Arrays.toString(s));
                int inPerGroup = (int) (s[0] / c.groups());
                int fanIn = (int) elements(name, "weight", new long[] {inPerGroup, c.kernel(), c.kernel()});
                add(name, ParamRole.WEIGHT, "conv2d", fanIn, c.out(), inPerGroup, c.kernel(), c.kernel());
                if (c.bias()) {
                    add(name, ParamRole.BIAS, "conv2d", fanIn, c.out());
                }
                connect(flow, name, c.out(), c.groups() > 1);
                return new long[] {c.out(), h, w};
            }
            if (l instanceof LayerSpec.BatchNorm bn) {
                boolean ok = bn.dimensions() == 2 ? s.length == 3 : s.length == 1 || s.length == 2;
                need(ok, name, bn.type() + " cannot take input " + Arrays.toString(s));
                long c = s[0];
                add(name, ParamRole.WEIGHT, bn.type(), 0, c);
                add(name, ParamRole.BIAS, bn.type(), 0, c);
                add(name, ParamRole.RUNNING_MEAN, bn.type(), 0, c);
                add(name, ParamRole.RUNNING_VAR, bn.type(), 0, c);
                add(name, ParamRole.NUM_BATCHES_TRACKED, bn.type(), 0);
                if (flow.pending != null) {
                    flow.pending.followers.add(name);
                }
                return s;
            }
            if (l instanceof LayerSpec.LayerNorm ln) {
                long d = s[s.length - 1];
                add(name, ParamRole.WEIGHT, "layernorm", 0, d);
                add(name, ParamRole.BIAS, "layernorm", 0, d);
                if (flow.pending != null) {
                    flow.pending.layerNormed = true;
                }
                return s;
            }
            if (l instanceof LayerSpec.Activation || l instanceof LayerSpec.Dropout) {
                return s;
            }
            if (l instanceof LayerSpec.Pool2d p) {
                need(s.length == 3, name, p.type() + " needs input [C, H, W], got " + Arrays.toString(s));
                need(p.padding() * 2 <= p.kernel(), name, "padding must be at most half the kernel");
                need(s[1] + 2L * p.padding() >= p.kernel() && s[2] + 2L * p.padding() >= p.kernel(),
                        name, "kernel " + p.kernel() + " is larger than the input " + Arrays.toString(s));
                long h = (s[1] + 2L * p.padding() - p.kernel()) / p.stride() + 1;
                long w = (s[2] + 2L * p.padding() - p.kernel()) / p.stride() + 1;
                return new long[] {s[0], h, w};
            }
            if (l instanceof LayerSpec.GlobalAvgPool) {
                need(s.length == 3, name, "globalavgpool needs input [C, H, W], got " + Arrays.toString(s));
                return new long[] {s[0], 1, 1};
            }
            if (l instanceof LayerSpec.Flatten) {
                long n = elements(name, "input", s);
                if (s.length > 1) {
                    flow.block *= (int) (n / s[0]);
                }
                return new long[] {n};
            }
            if (l instanceof LayerSpec.Sequential seq) {
                return sequential(seq, name, s, flow);
            }
            if (l instanceof LayerSpec.Residual r) {
                return residual(r, name, s, flow);
            }
            throw new IllegalStateException("unknown layer " + l);
        }

        private long[] residual(LayerSpec.Residual r, String name, long[] s, Flow flow) {
            if (flow.pending != null) {
                flow.pending.feedsResidual = true;
            }
            Flow bodyFlow = new Flow();
            long[] body = sequential(r.body(), name + ".body", s, bodyFlow);
            if (bodyFlow.pending != null) {
                bodyFlow.pending.feedsResidual = true;
            }
            long[] skip = s;
            if (r.projection().isPresent()) {
                Flow projFlow = new Flow();
                skip = sequential(r.projection().get(), name + ".projection", s, projFlow);
                if (projFlow.pending != null) {
                    projFlow.pending.feedsResidual = true;
                }
            }
            need(Arrays.equals(body, skip), name, "body output " + Arrays.toString(body)
                    + " does not match the skip path " + Arrays.toString(skip)
                    + (r.projection().isEmpty() ? "; add a projection" : ""));
            flow.pending = null;
            flow.block = 1;
            return body;
        }

        private void connect(Flow flow, String name, int units, boolean grouped) {
            if (flow.pending != null) {
                flow.pending.consumer = name;
                flow.pending.consumerBlock = flow.block;
                flow.pending.consumerGrouped = grouped;
                producers.put(name, flow.pending.layer);
            }
            Builder b = new Builder(name, units);
            unitBuilders.add(b);
            flow.pending = b;
            flow.block = 1;
        }

        private void add(String layer, ParamRole role, String type, int fanIn, long... dims) {
            elements(layer, role.suffix(), dims);
            params.add(new ParamInfo(layer + "." + role.suffix(), new Dims(dims), role, layer, type, fanIn));
        }

        /**
         * The element count of a shape, refused when it overflows or exceeds what one tensor can
         * hold, so that a huge size in a spec is a spec error naming the layer, never an
         * arithmetic overflow or an allocation failure later.
         */
        private long elements(String layer, String what, long[] shape) {
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

        private void need(boolean ok, String layer, String problem) {
            if (!ok) {
                throw new SpecException(file + ": layer " + layer + ": " + problem);
            }
        }
    }
}
