package dev.graft.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model cut in two at a layer: the prefix (everything before it) and the suffix (it and
 * everything after), each a spec of its own whose tensors keep their full PyTorch names. Used to
 * compute a frozen prefix's activations once and train only the suffix on them.
 *
 * @param prefix the layers before the cut
 * @param suffix the layers from the cut on; its input is the prefix's output
 */
public record ModelSplit(ModelSpec prefix, ModelSpec suffix) {

    /**
     * Cuts {@code spec} just before the layer named {@code layer} (a full name, such as
     * {@code classifier.1}). Residual blocks are never cut inside.
     *
     * @return empty if there is no such top-level-reachable layer, or nothing before it, or the
     *     prefix holds dropout, in a dropout layer or inside another (its output would not be
     *     deterministic in training)
     */
    public static Optional<ModelSplit> before(ModelSpec spec, String layer) {
        return before(spec, layer, false);
    }

    /**
     * As {@link #before(ModelSpec, String)}; with {@code inferenceOnly} a prefix holding dropout is
     * cut too, for activations that are only ever read in inference mode (where dropout is the
     * identity), such as the features a converged linear head is fitted on.
     */
    public static Optional<ModelSplit> before(ModelSpec spec, String layer, boolean inferenceOnly) {
        List<String> order = new ArrayList<>();
        leaves(spec.root(), "", order);
        int cut = order.indexOf(layer);
        if (cut <= 0) {
            return Optional.empty();
        }
        List<String> prefixNames = order.subList(0, cut);
        SequentialLayer prefixRoot = (SequentialLayer) keep(spec.root(), "", prefixNames, true);
        SequentialLayer suffixRoot = (SequentialLayer) keep(spec.root(), "", prefixNames, false);
        if (!inferenceOnly && hasDropout(prefixRoot)) {
            return Optional.empty();
        }
        ModelSpec prefix = new ModelSpec(spec.name() + "/prefix", spec.source(), spec.input(), prefixRoot);
        ModelSpec suffix = new ModelSpec(spec.name() + "/suffix", spec.source(), ModelLayout.of(prefix).output(),
                suffixRoot, spec.head().filter(h -> !inPrefix(h, prefixNames)));
        return Optional.of(new ModelSplit(prefix, suffix));
    }

    /** Full names of the cuttable units in forward order: leaf layers, and residual blocks whole. */
    private static void leaves(LayerSpec l, String name, List<String> out) {
        if (l instanceof SequentialLayer s) {
            for (LayerSpec c : s.layers()) {
                leaves(c, name.isEmpty() ? c.name() : name + "." + c.name(), out);
            }
        } else {
            out.add(name);
        }
    }

    /** The part of a sequential tree whose leaves are (or are not) in {@code names}; empty groups dropped. */
    private static LayerSpec keep(LayerSpec l, String name, List<String> names, boolean inside) {
        if (l instanceof SequentialLayer s) {
            List<LayerSpec> kept = new ArrayList<>();
            for (LayerSpec c : s.layers()) {
                LayerSpec k = keep(c, name.isEmpty() ? c.name() : name + "." + c.name(), names, inside);
                if (k != null) {
                    kept.add(k);
                }
            }
            return kept.isEmpty() && !name.isEmpty() ? null : new SequentialLayer(s.name(), kept);
        }
        return names.contains(name) == inside ? l : null;
    }

    private static boolean inPrefix(String layer, List<String> prefixNames) {
        return prefixNames.stream().anyMatch(n -> layer.equals(n) || layer.startsWith(n + "."));
    }

    private static boolean hasDropout(LayerSpec l) {
        return l.dropout() > 0 || l.children().stream().anyMatch(ModelSplit::hasDropout);
    }
}
