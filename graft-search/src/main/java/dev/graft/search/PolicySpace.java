package dev.graft.search;

import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.train.OptimizerKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search space of transfer policies for a model: three genes per layer group
 * ({@code LAYER.decision}, {@code LAYER.lr}, {@code LAYER.fraction}) and four global ones
 * ({@code base_lr}, {@code l2sp}, {@code optimizer}, {@code epochs}). A gene given one choice is
 * fixed. The layer groups are the model's ({@link ModelLayout#groups()}: a linear or convolution
 * layer with its BatchNorm, or a block such as BERT's embeddings or one encoder layer), or named
 * unions of them. The head's group is re-initialized unless {@code searchHead} is set. A group
 * holding no single unit layer (only blocks) has no units to take a share of: its fraction is 1.
 */
public final class PolicySpace {
    private final List<String> groups;
    private final Map<String, List<String>> members;
    private final List<String> modelOrder;
    private final SearchSpace space;

    /**
     * The choices of each gene.
     *
     * @param lrMultipliers the per-layer LR multiplier grid (log-spaced)
     * @param fractions the fractions of units transferred
     * @param baseLrs base learning rates
     * @param l2sp L2-SP strengths
     * @param optimizers optimizers
     * @param epochs epoch counts
     * @param searchHead whether the head's decision is searched too
     * @param groups named unions of the model's layer groups that share their genes; a layer group
     *     in none gets its own
     */
    public record Choices(List<Double> lrMultipliers, List<Double> fractions, List<Double> baseLrs, List<Double> l2sp,
            List<OptimizerKind> optimizers, List<Integer> epochs, boolean searchHead, Map<String, List<String>> groups) {
        public Choices(List<Double> lrMultipliers, List<Double> fractions, List<Double> baseLrs, List<Double> l2sp,
                List<OptimizerKind> optimizers, List<Integer> epochs, boolean searchHead) {
            this(lrMultipliers, fractions, baseLrs, l2sp, optimizers, epochs, searchHead, Map.of());
        }

        public static Choices defaults() {
            return new Choices(List.of(0.1, 0.3, 1.0, 3.0), List.of(0.25, 0.5, 0.75, 1.0), List.of(3e-4, 1e-3, 3e-3),
                    List.of(0.0, 0.01, 0.1), List.of(OptimizerKind.ADAM), List.of(20), false);
        }
    }

    /**
     * @throws dev.graft.GraftInputException if a group names a layer group the model lacks, or one twice
     */
    public PolicySpace(ModelLayout layout, Choices choices) {
        List<String> order = layout.groups().stream().map(LayerGroup::name).toList();
        this.modelOrder = order;
        String headGroup = layout.headGroup().name();
        this.members = new LinkedHashMap<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        choices.groups().forEach((name, layers) -> {
            for (String l : layers) {
                if (!order.contains(l)) {
                    throw new dev.graft.GraftInputException("search genes: group '" + name + "' names '" + l
                            + "', which is not a layer group of the model (its groups, in order: "
                            + String.join(", ", order) + ")");
                }
                if (groupOf.put(l, name) != null) {
                    throw new dev.graft.GraftInputException("search genes: layer '" + l + "' is in two groups");
                }
            }
        });
        for (String g : order) {
            members.computeIfAbsent(groupOf.getOrDefault(g, g), k -> new ArrayList<>()).add(g);
        }
        this.groups = new ArrayList<>(members.keySet());
        List<Dimension> dims = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            boolean head = members.get(g).contains(headGroup);
            boolean units = members.get(g).stream()
                    .anyMatch(m -> layout.group(m).orElseThrow().unitLayer().isPresent());
            List<TransferPolicy.Decision> decisions = head && !choices.searchHead()
                    ? List.of(TransferPolicy.Decision.SCRATCH) : List.of(TransferPolicy.Decision.values());
            dims.add(Dimension.categorical(g + ".decision", decisions));
            dims.add(Dimension.ordinal(g + ".lr", choices.lrMultipliers()));
            dims.add(Dimension.ordinal(g + ".fraction", (head && !choices.searchHead()) || !units ? List.of(1.0)
                    : choices.fractions()));
        }
        dims.add(Dimension.ordinal("base_lr", choices.baseLrs()));
        dims.add(Dimension.ordinal("l2sp", choices.l2sp()));
        dims.add(Dimension.categorical("optimizer", choices.optimizers()));
        dims.add(Dimension.ordinal("epochs", choices.epochs()));
        this.space = new SearchSpace(dims);
    }

    public SearchSpace space() {
        return space;
    }

    /** The gene groups in model order (the head's last), each with its member layer groups. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g, List.copyOf(members.get(g))));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The canonical form of a policy, used as its cache key: genes that cannot matter are
     * normalized away (a scratch layer's fraction, a whole frozen layer's learning rate), so two
     * points that train the same way share one key.
     */
    public String canonical(int[] point) {
        TransferPolicy p = decode(point);
        StringBuilder sb = new StringBuilder();
        for (var e : p.layers().entrySet()) {
            TransferPolicy.LayerChoice c = e.getValue();
            boolean scratch = c.decision() == TransferPolicy.Decision.SCRATCH;
            boolean wholeFrozen = c.decision() == TransferPolicy.Decision.FROZEN && c.fraction() >= 1;
            sb.append(e.getKey()).append('=').append(c.decision()).append('/')
                    .append(wholeFrozen ? "-" : String.valueOf(c.lrMultiplier())).append('/')
                    .append(scratch ? "-" : String.valueOf(c.fraction())).append(';');
        }
        return sb.append(p.baseLr()).append(';').append(p.l2sp()).append(';').append(p.optimizer()).append(';')
                .append(p.epochs()).toString();
    }

    /** The policy at a point of {@link #space()}. */
    public TransferPolicy decode(int[] point) {
        Map<String, Object> v = space.decode(point);
        Map<String, TransferPolicy.LayerChoice> byGroup = new LinkedHashMap<>();
        for (String g : groups) {
            byGroup.put(g, new TransferPolicy.LayerChoice((TransferPolicy.Decision) v.get(g + ".decision"),
                    (Double) v.get(g + ".lr"), (Double) v.get(g + ".fraction")));
        }
        Map<String, TransferPolicy.LayerChoice> layers = new LinkedHashMap<>();
        members.forEach((g, ls) -> ls.forEach(l -> layers.put(l, byGroup.get(g))));
        // keep the model's group order, which expansion and prefix caching rely on
        Map<String, TransferPolicy.LayerChoice> ordered = new LinkedHashMap<>();
        modelOrder.forEach(u -> ordered.put(u, layers.get(u)));
        return new TransferPolicy(ordered, (Double) v.get("base_lr"), (Double) v.get("l2sp"),
                (OptimizerKind) v.get("optimizer"), (Integer) v.get("epochs"));
    }
}
