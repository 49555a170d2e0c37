package dev.graft.transfer;

import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.model.SharedUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A plan's heads rules ({@code heads: encoder.layer.3.attention.self}) applied to a target
 * layout's {@link SharedUnits}: which source heads each attention module keeps, and which heads
 * are masked, as each tensor the heads span sees them. For every module the first heads rule
 * naming it decides, as the first matching rule decides for a tensor.
 *
 * <p>Head importance (select_units): the L1 norm of the head's rows of the query, key and value
 * weights together, the per-unit magnitude every other select_units uses, summed over the head's
 * block of rows. It is a data-free proxy: Michel, Levy and Neubig 2019 ("Are Sixteen Heads Really
 * Better than One?", NeurIPS) rank heads by the gradient of the loss with respect to a head mask,
 * which needs the task's data and a backward pass; a weight norm needs only the checkpoint.
 *
 * <p>The source's heads are taken to have the target's head size ({@code head_size}), as Hugging
 * Face's {@code prune_heads} keeps it: a source query of R rows holds R / head_size heads.
 * Immutable; thread-safe.
 *
 * @param mappings for each module whose heads are selected, which source head each target head is
 * @param masks for each module whose heads are masked, the mask over heads and its rule
 */
record HeadRules(Map<String, UnitMapping> mappings, Map<String, Masked> masks) {

    /** A mask over heads from rule number {@code rule} (0-based), over {@code heads} heads. */
    record Masked(UnitMask mask, int rule, int heads) {
        /** What the mask did, for the report. */
        String describe(boolean freeze) {
            return (freeze ? "freeze heads " : "heads ") + mask.units() + " of " + heads + " (rule " + (rule + 1) + ")";
        }
    }

    /** No heads rules. */
    static final HeadRules NONE = new HeadRules(Map.of(), Map.of());

    /**
     * The heads rules of {@code plan} on {@code target}.
     *
     * @param sourceOf the source tensor a target tensor is transferred from, if it is transferred
     * @throws TransferException if a rule widens heads, selects more heads than the source has,
     *     masks a head beyond the module's, or the source's query/key/value rows are not whole heads
     */
    static HeadRules of(WeightStore source, ModelLayout target, TransferPlan plan,
            Function<String, Optional<String>> sourceOf) {
        Map<String, UnitMapping> mappings = new LinkedHashMap<>();
        Map<String, Masked> masks = new LinkedHashMap<>();
        for (SharedUnits s : target.sharedUnits().values()) {
            int i = 0;
            while (i < plan.rules().size() && !plan.rules().get(i).namesHeadsOf(s.layer())) {
                i++;
            }
            if (i == plan.rules().size()) {
                continue;
            }
            TransferRule r = plan.rules().get(i);
            String where = "rule " + (i + 1) + " (heads '" + r.match().pattern() + "')";
            if (r.units().isPresent()) {
                List<Integer> u = r.units().get().units();
                if (!u.isEmpty() && u.get(u.size() - 1) >= s.units()) {
                    throw new TransferException(where + ": " + s.noun() + " " + u.get(u.size() - 1)
                            + " is out of range (" + s.layer() + " has " + s.units() + " " + s.noun() + "s)");
                }
                masks.put(s.layer(), new Masked(r.units().get(), i, s.units()));
            }
            boolean widen = r.transform() instanceof Transform.Net2Wider;
            if (widen && s.noWidening().isPresent()) {
                throw new TransferException(where + ": net2wider on " + s.layer() + " is not possible: "
                        + s.noWidening().get());
            }
            if (widen || r.transform() instanceof Transform.SelectUnits) {
                mapping(source, s, sourceOf, widen, where, plan.seed()).ifPresent(m -> mappings.put(s.layer(), m));
            }
        }
        return new HeadRules(Map.copyOf(mappings), Map.copyOf(masks));
    }

    /**
     * Which source head each target head of {@code s} comes from; empty when none of its members is
     * transferred (re-initialized heads have nothing to select from).
     */
    private static Optional<UnitMapping> mapping(WeightStore source, SharedUnits s,
            Function<String, Optional<String>> sourceOf, boolean widen, String where, long seed) {
        List<String> names = new ArrayList<>();
        List<Values> weights = new ArrayList<>();
        for (String m : s.members()) {
            sourceOf.apply(m + ".weight").ifPresent(n -> {
                names.add(n);
                weights.add(new Values(source.info(n).dims(), source.read(n).toFloats()));
            });
        }
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        Dims first = weights.get(0).dims();
        for (int j = 0; j < weights.size(); j++) {
            Dims d = weights.get(j).dims();
            if (d.rank() != 2 || d.get(0) != first.get(0) || d.get(0) % s.rows() != 0) {
                throw new TransferException(where + ": the source's " + names.get(j) + " " + d + " is not whole "
                        + s.noun() + "s of " + s.rows() + " rows like " + names.get(0) + " " + first + " (a source"
                        + " " + s.noun() + " is taken to have the target's head_size " + s.rows() + ")");
            }
        }
        int sourceHeads = (int) (first.get(0) / s.rows());
        String label = s.noun() + "s";
        if (widen) {
            if (s.units() < sourceHeads) {
                throw new TransferException(where + ": net2wider on " + s.layer() + ": the target has " + s.units()
                        + " " + label + ", fewer than the source's " + sourceHeads + "; use select_units to narrow");
            }
            return Optional.of(UnitMapping.widen(sourceHeads, s.units(),
                    new SplittableRandom(seed * 31 + s.layer().hashCode())));
        }
        if (s.units() > sourceHeads) {
            throw new TransferException(where + ": select_units on " + s.layer() + ": the target has " + s.units()
                    + " " + label + " but the source only " + sourceHeads + " (of " + s.rows() + " rows each)");
        }
        double[] score = new double[sourceHeads];
        for (Values w : weights) {
            double[] rows = w.rowL1();
            for (int r = 0; r < rows.length; r++) {
                score[r / s.rows()] += rows[r];
            }
        }
        UnitMapping picked = UnitMapping.select(score, s.units(), "");
        String members = String.join(", ", s.members().stream()
                .map(m -> m.startsWith(s.layer() + ".") ? m.substring(s.layer().length() + 1) : m).toList());
        return Optional.of(picked.described("select_units " + s.units() + "/" + sourceHeads + " " + label + " "
                + Arrays.toString(picked.sourceUnit()) + " of " + s.layer() + " by L1 of " + members + " rows"));
    }

    /**
     * The heads mask on {@code p}, as blocks of its rows (a member's weight or bias) or of its input
     * columns (a consumer's weight), if a heads rule masks the heads it holds.
     */
    Optional<Masked> maskOn(ModelLayout target, ParamInfo p) {
        Optional<SharedUnits> owner = target.sharedOwner(p);
        if (owner.isPresent() && masks.containsKey(owner.get().layer())) {
            Masked m = masks.get(owner.get().layer());
            return Optional.of(new Masked(m.mask().along(0, owner.get().rows()), m.rule(), m.heads()));
        }
        if (p.role() != ParamRole.WEIGHT) {
            return Optional.empty();
        }
        for (String producer : target.producers().getOrDefault(p.layer(), List.of())) {
            Masked m = masks.get(producer);
            if (m != null) {
                int block = target.edge(producer, p.layer()).orElseThrow().block();
                return Optional.of(new Masked(m.mask().along(1, block), m.rule(), m.heads()));
            }
        }
        return Optional.empty();
    }
}
