package dev.graft.experiment;

import dev.graft.GraftInputException;
import java.util.List;

/**
 * Which strategy bases can end in a classical head ({@code head}, or {@code contrastive}, which
 * ends in one): no base or {@code head_only} (the frozen trunk's features), {@code contrastive}
 * (SetFit's tuned encoder) and the policy searches (their trials' encoders). Every other base is
 * listed here with why it cannot, and a spec that gives it a head is refused in one line naming
 * the key. A base not listed (a sampler) decides for itself. Stateless.
 */
public final class HeadBases {
    /**
     * A base that trains the network's own head, so no classical head can be fitted in its place.
     *
     * @param keyword its {@code base}
     * @param byName whether a spec is this base by its {@code name} alone (as {@code distill} is)
     * @param why why, in words
     */
    private record Refusing(String keyword, boolean byName, String why) {}

    private static final String OWN_HEAD = "fine-tunes the network's own head with its trunk (a classical head "
            + "goes on the frozen trunk: leave base out, or use contrastive or a search)";

    private static final List<Refusing> REFUSING = List.of(
            new Refusing("scratch", false, OWN_HEAD),
            new Refusing("partial", false, OWN_HEAD),
            new Refusing("full", false, OWN_HEAD),
            new Refusing("discriminative", false, OWN_HEAD),
            new Refusing("l2sp", false, OWN_HEAD),
            new Refusing("distill", true, "its student learns the teacher's logits and is measured by its own head"),
            new Refusing("ensemble", true, "its members vote; give the head to a member strategy instead"),
            new Refusing("reptile", true, "its meta-learned initialization is fine-tuned with the network's own head "
                    + "by its 'then' strategy"),
            new Refusing("dann", true, "its domain classifier and the network's own head train together by gradient"));

    private HeadBases() {}

    /**
     * Refuses a spec that gives a classical head ({@code head} or {@code contrastive}) to a base that
     * trains the network's own head.
     *
     * @param where the spec's key ({@code exp.yaml: strategies[2]})
     * @throws GraftInputException naming {@code where.head} (or {@code .contrastive}) and the base
     */
    public static void require(ExperimentConfig.StrategySpec spec, String where) {
        if (spec == null || (spec.head() == null && spec.contrastive() == null)) {
            return;
        }
        for (Refusing r : REFUSING) {
            if (r.keyword().equals(spec.base()) || (spec.base() == null && r.byName() && r.keyword().equals(spec.name()))) {
                throw new GraftInputException(where + (spec.head() != null ? ".head" : ".contrastive") + ": base "
                        + r.keyword() + " cannot end in a classical head: " + r.why());
            }
        }
    }

    /**
     * Refuses a strategy used where a network with its own trained head is needed (a distillation
     * teacher: its logits are what the student learns) when it ends in a classical head.
     *
     * @param key the key naming the strategy ({@code exp.yaml: strategies[1].distill.teacher.strategy})
     * @throws GraftInputException naming {@code key}
     */
    public static void requireOwnHead(Strategies.Resolved strategy, String key, String role) {
        if (strategy.head() != null) {
            throw new GraftInputException(key + ": '" + strategy.name() + "' ends in a classical head, whose network "
                    + "head is never trained; " + role);
        }
    }
}
