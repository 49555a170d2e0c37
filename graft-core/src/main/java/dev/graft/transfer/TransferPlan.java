package dev.graft.transfer;

import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import java.util.List;

/**
 * An ordered list of rules; for each target tensor the first matching rule applies. Tensors no
 * rule matches are matched automatically by name and shape when {@code autoMatch} is on.
 * Applying a plan is deterministic: every random choice is drawn from {@code seed}.
 *
 * @param rules the rules, in priority order
 * @param autoMatch whether unmatched target tensors are copied from same-named source tensors
 * @param seed seeds target initialization and Net2Net replication
 */
public record TransferPlan(List<TransferRule> rules, boolean autoMatch, long seed) {

    public TransferPlan {
        rules = List.copyOf(rules);
    }

    /**
     * Refuses a rule that matches no tensor of the model: it would change nothing, silently (a
     * glob's {@code *} stays within one dot-separated part, so {@code features.*} matches no
     * {@code features.0.weight}).
     *
     * @param tensors the model's tensor names
     * @param label names the plan in the error (its file)
     * @throws TransferException naming the plan, the rule's number and its pattern
     */
    public void requireEveryRuleMatches(List<String> tensors, String label) {
        requireEveryRuleMatches(tensors, List.of(), label);
    }

    /**
     * Refuses a rule that matches nothing in {@code layout}: a tensor rule no tensor, a heads rule
     * no module holding attention heads.
     *
     * @throws TransferException naming the plan, the rule's number and its pattern
     */
    public void requireEveryRuleMatches(ModelLayout layout, String label) {
        requireEveryRuleMatches(layout.params().stream().map(ParamInfo::name).toList(),
                List.copyOf(layout.sharedUnits().keySet()), label);
    }

    private void requireEveryRuleMatches(List<String> tensors, List<String> headLayers, String label) {
        for (int i = 0; i < rules.size(); i++) {
            TransferRule r = rules.get(i);
            TensorMatch m = r.match();
            if (r.scope() == TransferRule.Scope.HEADS) {
                if (headLayers.stream().noneMatch(r::namesHeadsOf)) {
                    throw new TransferException(label + ": rule " + (i + 1) + " (heads '" + m.pattern()
                            + "') names no module with attention heads" + (headLayers.isEmpty() ? " (the model has none)"
                            : " (such as " + headLayers.get(0) + ")"));
                }
                continue;
            }
            if (tensors.stream().noneMatch(t -> m.match(t).isPresent())) {
                throw new TransferException(label + ": rule " + (i + 1) + " (" + (m.glob() ? "match" : "regex") + " '"
                        + m.pattern() + "') matches no tensor of the model"
                        + (m.glob() ? "; a glob's * stays within one dot-separated part (** crosses them)" : ""));
            }
        }
    }

    /** No rules: automatic matching by name and shape only. */
    public static TransferPlan automatic() {
        return new TransferPlan(List.of(), true, 0);
    }
}
