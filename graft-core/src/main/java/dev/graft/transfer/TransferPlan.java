package dev.graft.transfer;

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

    /** No rules: automatic matching by name and shape only. */
    public static TransferPlan automatic() {
        return new TransferPlan(List.of(), true, 0);
    }
}
