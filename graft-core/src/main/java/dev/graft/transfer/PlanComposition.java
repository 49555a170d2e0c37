package dev.graft.transfer;

import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An experiment's plan composed with a strategy's: the plan says where each target tensor comes
 * from and how it is reshaped (renames, unit surgery, input adaptation, its unit mask); the
 * strategy says how it trains (frozen, fine-tuned at a rate, or re-initialized). Per tensor:
 * <ul>
 *   <li>the strategy's first matching rule gives the mode (none: fine-tuned at ×1 under automatic
 *       matching);</li>
 *   <li>a strategy that re-initializes the tensor wins: it needs no source;</li>
 *   <li>otherwise the plan's first matching rule gives the source, transform and units; a plan
 *       rule that re-initializes the tensor wins over the strategy's mode (the plan says there is
 *       nothing to transfer); an unmatched tensor is copied by name when the plan matches
 *       automatically, and is missing otherwise.</li>
 * </ul>
 * Heads rules (selecting or masking attention heads) are kept as they are, the plan's before the
 * strategy's, so the plan's decides for a module both name. The result
 * names every tensor exactly, so its rules' order does not matter. Pure and
 * deterministic; thread-safe.
 */
public final class PlanComposition {
    private PlanComposition() {}

    /**
     * The composed plan, seeded as {@code strategy} is.
     *
     * @throws TransferException if a plan rule's source template refers to a group its match lacks
     */
    public static TransferPlan compose(TransferPlan plan, TransferPlan strategy, ModelLayout target) {
        List<TransferRule> rules = new ArrayList<>();
        for (ParamInfo p : target.params()) {
            String name = p.name();
            TensorMatch exact = TensorMatch.regex(Pattern.quote(name));
            Mode mode = first(strategy, name).map(TransferRule::mode)
                    .orElse(strategy.autoMatch() ? new Mode.FineTune(1) : null);
            Optional<TransferRule> from = first(plan, name);
            if (mode instanceof Mode.Reinit) {
                rules.add(new TransferRule(exact, Optional.empty(), new Transform.Copy(), mode, Optional.empty()));
            } else if (from.isPresent() && from.get().mode() instanceof Mode.Reinit) {
                rules.add(new TransferRule(exact, Optional.empty(), new Transform.Copy(), from.get().mode(),
                        Optional.empty()));
            } else if (from.isPresent()) {
                TransferRule r = from.get();
                Matcher m = r.matchTensor(name).orElseThrow();
                String source = r.source().map(t -> TensorMatch.rename(m, t)).orElse(name);
                rules.add(new TransferRule(exact, Optional.of(source), r.transform(),
                        mode == null ? r.mode() : mode, r.units()));
            } else if (plan.autoMatch() && mode != null) {
                rules.add(new TransferRule(exact, Optional.empty(), new Transform.Copy(), mode, Optional.empty()));
            }
        }
        // heads rules select or mask heads across tensors: they stay as written, the plan's before the
        // strategy's (the first naming a module decides), and apply to the tensors that are transferred
        plan.rules().stream().filter(r -> r.scope() == TransferRule.Scope.HEADS).forEach(rules::add);
        strategy.rules().stream().filter(r -> r.scope() == TransferRule.Scope.HEADS).forEach(rules::add);
        return new TransferPlan(rules, false, strategy.seed());
    }

    private static Optional<TransferRule> first(TransferPlan plan, String name) {
        return plan.rules().stream().filter(r -> r.matchTensor(name).isPresent()).findFirst();
    }
}
