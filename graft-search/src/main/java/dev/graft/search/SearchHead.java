package dev.graft.search;

import dev.graft.GraftInputException;
import dev.graft.experiment.ContrastiveSection;
import dev.graft.experiment.FeatureHead;
import dev.graft.experiment.HeadSection;
import dev.graft.experiment.Prepared;
import java.util.List;

/**
 * The classical head a policy search fits on every trial, if it has one. With {@code head} each
 * trial fine-tunes the network under its policy as without one, then fits the head on the tuned
 * encoder's features ({@link FeatureHead#afterFineTuning()}); with {@code contrastive} (SetFit)
 * the policy says how each layer group of the encoder tunes on pairs, then the head is fitted. The
 * trial's value is the head's validation metric. {@code graft search} reads the experiment's
 * top-level {@code head} and {@code contrastive} (as it reads its top-level {@code train} and
 * {@code plan}); a search strategy of {@code graft compare} reads its own. Stateless.
 */
final class SearchHead {
    private SearchHead() {}

    /**
     * The head of {@code graft search}: the experiment's top-level {@code head} and
     * {@code contrastive}; null when it names neither.
     *
     * @throws GraftInputException naming the key, for a bad head or a search setting that cannot
     *     score one
     */
    static FeatureHead ofExperiment(Prepared p, SearchSettings s) {
        FeatureHead fh = FeatureHead.of(p.config().head(), p.config().contrastive(), p.config().contrastive() != null,
                p.layout(), p.file() + ": ");
        return checked(fh, s, p.file() + ": search");
    }

    /**
     * The head of a search strategy ({@code strategies[i]} with a sampler as its base).
     *
     * @param where the strategy's key ({@code exp.yaml: strategies[2]})
     */
    static FeatureHead ofStrategy(Prepared p, HeadSection head, ContrastiveSection contrastive, SearchSettings s,
            String where) {
        FeatureHead fh = FeatureHead.of(head, contrastive, contrastive != null, p.layout(), where + ".");
        return checked(fh, s, p.file() + ": search");
    }

    private static FeatureHead checked(FeatureHead fh, SearchSettings s, String search) {
        if (fh == null) {
            return null;
        }
        if (!s.pruner().equals("none")) {
            // the pruner would compare the network head's per-epoch values; the value is the classical head's
            throw new GraftInputException(search + ".pruner: a classical head is scored once, after its fit; "
                    + "there is no value per epoch to prune on (use none)");
        }
        if (s.objectives().needsModel()) {
            throw new GraftInputException(search + ".objectives: " + String.join(", ", s.objectives().names())
                    + ": retention, latency, worst_group and robustness measure the network's own head; with a "
                    + "classical head use target and parameters");
        }
        if (fh.contrastive() && !s.choices().epochs().equals(List.of(fh.epochs()))) {
            throw new GraftInputException(search + ".genes.epochs: the encoder tunes on pairs for contrastive.epochs ("
                    + fh.epochs() + ") passes; leave the gene out");
        }
        return fh.afterFineTuning();
    }
}
