package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentConfig.TrainSection;
import dev.graft.metrics.MetricName;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The experiment options a regression ({@code task: regression}) refuses: those defined by
 * classes. Label smoothing, class weights, oversampling and SMOTE, mixup and CutMix (they mix
 * one-hot targets), adversarial training and robust accuracy (an attack on the class margin), the
 * converged head (softmax regression), the export columns (the exported file's test accuracy), the strategies that vote or distil class probabilities
 * (ensemble, distill) or meta-learn on classes (reptile, dann), and a classification metric for
 * early stopping or search. Each is refused in one line naming the key. Stateless.
 */
final class RegressionRules {
    /** Strategy bases built on class probabilities. */
    private static final Set<String> CLASS_STRATEGIES = Set.of("distill", "ensemble", "reptile", "dann");

    private RegressionRules() {}

    /**
     * Checks an experiment whose task is a regression.
     *
     * @param label the experiment file, for messages
     * @throws GraftInputException naming the first refused key
     */
    static void check(ExperimentConfig c, String label) {
        if (c.robustness() != null) {
            throw new GraftInputException(label + ": robustness: robust accuracy attacks a classifier's margin; a "
                    + "regression (task: regression) has none (leave robustness out)");
        }
        if (c.export() != null) {
            throw new GraftInputException(label + ": export: the comparison's export columns score the exported file's "
                    + "test accuracy; a regression (task: regression) has none (leave export out; graft export still "
                    + "exports a regression checkpoint)");
        }
        train(c.train(), label + ": train");
        if (c.head() != null || c.contrastive() != null) {
            throw new GraftInputException(label + ": " + (c.head() != null ? "head" : "contrastive") + ": a classical "
                    + "head (and SetFit, which ends in one) classifies; a regression (task: regression) trains the "
                    + "network's own head (leave it out)");
        }
        List<ExperimentConfig.StrategySpec> strategies = c.strategies() == null ? List.of() : c.strategies();
        for (int i = 0; i < strategies.size(); i++) {
            ExperimentConfig.StrategySpec s = strategies.get(i);
            if (s == null) {
                continue;
            }
            String where = label + ": strategies[" + i + "]";
            String base = s.base() == null ? s.name() : s.base();
            if ((base != null && CLASS_STRATEGIES.contains(base.toLowerCase(Locale.ROOT))) || s.distill() != null
                    || s.ensemble() != null || s.reptile() != null || s.dann() != null) {
                throw new GraftInputException(where + ".base: " + base + " works on class probabilities (votes, "
                        + "distilled or adapted classes); a regression (task: regression) can use scratch, head_only, "
                        + "partial, full, discriminative, l2sp and the search strategies");
            }
            if (s.head() != null || s.contrastive() != null || "contrastive".equals(s.base())) {
                throw new GraftInputException(where + (s.head() != null ? ".head" : ".base") + ": a classical head "
                        + "(and SetFit, which ends in one) classifies; a regression (task: regression) can use scratch, "
                        + "head_only, partial, full, discriminative, l2sp and the search strategies");
            }
            train(s.train(), where + ".train");
        }
        ExperimentConfig.SearchSection search = c.search();
        if (search != null) {
            if (search.metric() != null && !search.metric().equalsIgnoreCase("rmse")) {
                throw new GraftInputException(label + ": search.metric: a regression's search minimizes validation "
                        + "rmse; '" + search.metric() + "' is not what it minimizes (leave it out or write rmse)");
            }
            for (String o : search.objectives() == null ? List.<String>of() : search.objectives()) {
                if (o != null && (o.equalsIgnoreCase("worst_group") || o.equalsIgnoreCase("robustness"))) {
                    throw new GraftInputException(label + ": search.objectives: " + o + " measures a classifier's "
                            + "accuracy; a regression (task: regression) can use target, retention, parameters and "
                            + "latency");
                }
            }
            if (search.prior() != null && !search.prior().equalsIgnoreCase("none")) {
                throw new GraftInputException(label + ": search.prior: " + search.prior() + " scores features against "
                        + "class labels; a regression (task: regression) takes none");
            }
        }
    }

    /**
     * Checks a training section of a regression.
     *
     * @param where the section's key ({@code exp.yaml: train})
     * @throws GraftInputException naming the refused key
     */
    static void train(TrainSection t, String where) {
        if (t == null) {
            return;
        }
        if (t.labelSmoothing() != null && t.labelSmoothing() > 0) {
            throw new GraftInputException(where + ".label_smoothing: smooths one-hot class targets; a regression "
                    + "(task: regression) has real-valued targets (leave it out)");
        }
        if (t.imbalance() != null && !t.imbalance().equalsIgnoreCase("none")) {
            throw new GraftInputException(where + ".imbalance: " + t.imbalance() + " balances classes; a regression "
                    + "(task: regression) has one continuous target (leave it out)");
        }
        var a = t.augment();
        if (a != null && ((a.mixup() != null && a.mixup() > 0) || (a.cutmix() != null && a.cutmix() > 0))) {
            throw new GraftInputException(where + ".augment: mixup and CutMix mix one-hot class targets; a regression "
                    + "(task: regression) takes neither");
        }
        if (t.adversarial() != null && !"none".equalsIgnoreCase(t.adversarial().method())) {
            throw new GraftInputException(where + ".adversarial: adversarial examples attack a classifier's margin; a "
                    + "regression (task: regression) trains without them");
        }
        if (t.headFit() != null && t.headFit().equalsIgnoreCase("converged")) {
            throw new GraftInputException(where + ".head_fit: converged fits a softmax (multinomial logistic) head; "
                    + "a regression (task: regression) trains its head by gradient (auto or gradient)");
        }
        if (t.earlyStopping() != null && t.earlyStopping().metric() != null) {
            MetricName m = TrainSettings.parse(MetricName.class, t.earlyStopping().metric(),
                    where + ".early_stopping.metric");
            if (!m.appliesTo(true)) {
                throw new GraftInputException(where + ".early_stopping.metric: " + m.keyword() + " measures classes; "
                        + "a regression (task: regression) watches rmse (the default), mae, r2 or loss");
            }
        }
    }

    /**
     * Refuses a regression metric for early stopping in a classification.
     *
     * @throws GraftInputException naming the key
     */
    static void classification(TrainSection t, String where) {
        if (t == null || t.earlyStopping() == null || t.earlyStopping().metric() == null) {
            return;
        }
        MetricName m = TrainSettings.parse(MetricName.class, t.earlyStopping().metric(), where + ".early_stopping.metric");
        if (!m.appliesTo(false)) {
            throw new GraftInputException(where + ".early_stopping.metric: " + m.keyword() + " measures a regression's "
                    + "values; a classification watches accuracy, macro_f1, micro_f1 or loss (or set task: regression)");
        }
    }
}
