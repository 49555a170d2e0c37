package dev.graft.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One layer group of a model: the unit of every per-layer decision (a strategy's {@code partial}
 * layers, layer-wise learning-rate decay and gradual unfreezing, a search policy's genes, the cut
 * before a frozen prefix). A model's groups partition its tensors: each tensor belongs to exactly
 * one group, in {@code state_dict} order.
 *
 * <p>A group is either a <em>block</em>, one layer whose kind says that all its tensors act as one
 * ({@link LayerSpec#layerGroup()}, such as a BERT encoder layer with its six linear layers and two
 * LayerNorms), or a unit layer (a linear or convolution layer) with the tensors that follow it up
 * to the next group: its BatchNorm and any other tensor that belongs to no unit layer. Tensors
 * before the first group join it.
 *
 * @param name the group's name: the block's full name, or the unit layer's
 * @param block whether the group is one layer's tensors taken whole (rather than a unit layer's group)
 * @param layers the full names of the layers owning its tensors ({@link ParamInfo#layer()}), in order
 * @param tensors its tensors' full names, in {@code state_dict} order (buffers included)
 * @param units its unit layers, in order: the unit layer itself, those inside a block, or none
 *     (BERT's embeddings)
 */
public record LayerGroup(String name, boolean block, List<String> layers, List<String> tensors, List<String> units) {

    public LayerGroup {
        layers = List.copyOf(layers);
        tensors = List.copyOf(tensors);
        units = List.copyOf(units);
    }

    /**
     * The unit layer whose output units index this group's rows, when the group is one unit layer
     * with its followers; empty for a block, whose units are several layers' (so a share of "its
     * units" means nothing).
     */
    public Optional<String> unitLayer() {
        return block || units.size() != 1 ? Optional.empty() : Optional.of(units.get(0));
    }

    /**
     * The name a layer of this group is reported under: the block's, for a layer inside a block,
     * else the layer's own.
     */
    public String row(String layer) {
        return block && (layer.equals(name) || layer.startsWith(name + ".")) ? name : layer;
    }

    /**
     * Plan globs that together match exactly this group's tensors: {@code NAME.**} for a block,
     * and {@code LAYER.*} for each other layer (a unit layer and its followers).
     */
    public List<String> globs() {
        List<String> out = new ArrayList<>();
        for (String l : layers) {
            String row = row(l);
            String glob = block && row.equals(name) ? row + ".**" : row + ".*";
            if (!out.contains(glob)) {
                out.add(glob);
            }
        }
        return out;
    }

    /**
     * Partitions a model's tensors into groups.
     *
     * @param params every tensor, in {@code state_dict} order
     * @param units the unit layers' full names
     * @param blockOf for each tensor declared inside a block layer, that block's full name
     * @throws IllegalStateException if a unit layer has no tensor (no layer kind declares one so)
     */
    static List<LayerGroup> partition(List<ParamInfo> params, List<String> units, Map<String, String> blockOf) {
        Set<String> unitSet = new HashSet<>(units);
        Map<String, Builder> groups = new LinkedHashMap<>();
        List<ParamInfo> before = new ArrayList<>();
        Builder current = null;
        for (ParamInfo p : params) {
            String block = blockOf.get(p.name());
            String opener = block != null ? block : unitSet.contains(p.layer()) ? p.layer() : null;
            if (opener != null) {
                current = groups.computeIfAbsent(opener, n -> new Builder(n, block != null));
            }
            if (current == null) {
                before.add(p);
            } else {
                current.params.add(p);
            }
        }
        if (groups.isEmpty() && !before.isEmpty()) {
            // no unit layer and no block (a model of norms alone): its tensors are one group
            groups.put(before.get(0).layer(), new Builder(before.get(0).layer(), false));
        }
        if (!before.isEmpty()) {
            groups.values().iterator().next().params.addAll(0, before);
        }
        Map<String, Builder> byLayer = new HashMap<>();
        groups.values().forEach(g -> g.params.forEach(p -> byLayer.put(p.layer(), g)));
        for (String u : units) {
            Builder owner = byLayer.get(u);
            if (owner == null) {
                throw new IllegalStateException("unit layer " + u + " has no tensor");
            }
            owner.units.add(u);
        }
        return groups.values().stream().map(Builder::build).toList();
    }

    private static final class Builder {
        final String name;
        final boolean block;
        final List<ParamInfo> params = new ArrayList<>();
        final List<String> units = new ArrayList<>();

        Builder(String name, boolean block) {
            this.name = name;
            this.block = block;
        }

        LayerGroup build() {
            return new LayerGroup(name, block, params.stream().map(ParamInfo::layer).distinct().toList(),
                    params.stream().map(ParamInfo::name).toList(), units);
        }
    }
}
