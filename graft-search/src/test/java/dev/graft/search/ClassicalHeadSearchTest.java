package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.FeatureHead;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.train.ClassicalHead;
import dev.graft.train.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy search ending in a classical head, on the tiny CSV (3 features, an MLP of two layer
 * groups, a source pre-trained in a fraction of a second): each trial's value is the head's
 * validation accuracy after the network trained under the policy, recomputed here from the engine's
 * parts (train, cut, features, fit, count); a trial whose policy freezes the trunk scores exactly
 * the plain classical-head strategy; with {@code contrastive} a policy that fine-tunes the encoder
 * at the experiment's learning rate scores exactly the plain {@code base: contrastive} strategy.
 * The trial travels through the codec to a runner that prepares the experiment from its text, as
 * a worker JVM or Spark executor does, and gets the same value; the journal refuses a resume under
 * another head.
 */
class ClassicalHeadSearchTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The tiny CSV, a source pre-trained on it, 4 shots and 3 validation samples per class. */
    private Path experiment(String rest) throws IOException {
        String data = """
                  format: csv
                  train_images: %1$s/examples/data/tiny-csv/train.csv
                  test_images: %1$s/examples/data/tiny-csv/test.csv
                  csv: {label: cultivar}
                  normalize: {auto: true}
                """.formatted(ROOT);
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: heads
                model: %1$s/examples/specs/tiny-mlp.yaml
                source:
                  pretrain:
                    data:
                %2$s    train: {optimizer: adam, lr: 0.01, epochs: 5, batch_size: 12}
                data:
                %3$s  validation_per_class: 3
                train: {optimizer: adam, lr: 0.01, epochs: 3, batch_size: 6}
                shots: [4]
                output: %4$s
                """.formatted(ROOT, data.indent(4), data, dir.resolve("out")) + rest);
        return exp;
    }

    private static Prepared prepare(Path exp) throws IOException {
        ExperimentConfig c = ExperimentLoader.read(exp);
        return ExperimentRunner.prepare(c, exp, ExperimentRunner.Progress.NONE);
    }

    /** Validation accuracy of {@code head} fitted on features cut before the model's head, by hand. */
    private static double byHand(Prepared p, Map<String, Tensor> tensors, FeatureHead fh, long seed) {
        ExperimentRunner.Splits s = ExperimentRunner.splits(p, 4, seed);
        ModelLayout prefix = ModelLayout.of(ModelSplit.before(p.layout().spec(), fh.layer(), true).orElseThrow()
                .prefix());
        Examples trainF;
        Examples validationF;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel encoder = GraftModel.build(prefix, m)) {
            encoder.load(prefix.tensorsOf(tensors));
            trainF = Evaluator.activations(encoder, s.train());
            validationF = Evaluator.activations(encoder, s.validation());
        }
        ClassicalHead head = ClassicalHead.fit(fh.kind(), fh.grid(), trainF, validationF, seed);
        float[] probs = head.probabilities(validationF);
        int k = p.data().pool().classes();
        int right = 0;
        for (int i = 0; i < validationF.size(); i++) {
            right += ClassicalHead.argmax(probs, i, k) == validationF.labels()[i] ? 1 : 0;
        }
        return right / (double) validationF.size();
    }

    /** The point whose trunk group takes {@code decision}. */
    private static int[] point(PolicySpace space, TransferPolicy.Decision decision) {
        int[] point = new int[space.space().dimensions().size()];
        point[0] = List.of(TransferPolicy.Decision.values()).indexOf(decision);
        return point;
    }

    @Test
    void eachTrialScoresTheClassicalHeadOnTheEncoderItsPolicyTrained() throws IOException {
        Path exp = experiment("head: {type: logistic_regression, c: [0.1, 10]}\n"
                + "search: {sampler: random, trials: 3, fitness: {method: holdout}, genes: {lr_multipliers: [1], "
                + "fractions: [1], base_lrs: [0.01], l2sp: [0], epochs: [3]}}\n");
        Prepared p = prepare(exp);
        SearchSettings s = SearchSettings.of(p.config(), "s");
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        PolicyObjective objective = new PolicyObjective(p, space, 4, 0, s.metric(), s.newCache())
                .withHead(SearchHead.ofExperiment(p, s));
        FeatureHead fh = objective.head();
        assertTrue(fh.fineTuned() && !fh.contrastive(), fh.toString());

        // a policy that fine-tunes the trunk: train as any trial trains, then fit on the tuned encoder by hand
        int[] tune = point(space, TransferPolicy.Decision.FINETUNE);
        PolicyObjective.Scored scored = objective.score(tune, ExperimentRunner.Progress.NONE);
        Map<String, Tensor> trained = new LinkedHashMap<>();
        RunRecord net = ExperimentRunner.run(p, objective.strategy(tune).withHead(null), 4, 0,
                ExperimentRunner.Progress.NONE, m -> trained.putAll(m.stateDict()), false);
        assertEquals(3, net.history().size(), "the network trained its 3 epochs");
        assertEquals(byHand(p, trained, fh, 0), scored.value(), 1e-12);
        assertTrue(scored.run().message().contains("logistic_regression"), scored.run().message());

        // a policy that freezes the trunk leaves the features as transferred: the plain classical-head strategy
        int[] frozen = point(space, TransferPolicy.Decision.FROZEN);
        Strategies.Resolved plain = Strategies.resolve(new ExperimentConfig.StrategySpec("lr", null, null, null, null,
                null, null, null, null, null, p.config().head(), null), p.layout(), p.train(), p.dir(), 0, "plain");
        RunRecord plainRun = ExperimentRunner.run(p, plain, 4, 0, ExperimentRunner.Progress.NONE, null, false);
        assertEquals(PolicyObjective.fitness(plainRun, s.metric()),
                objective.score(frozen, ExperimentRunner.Progress.NONE).value(), 1e-12);

        // the trial as a worker JVM or a Spark executor gets it: through the codec, prepared from its text
        TrialRequest.Template template = new TrialRequest.Template("t", TrialRequest.Experiment.of(exp), 4, 0);
        TrialRequest request = TrialCodec.decode(TrialCodec.encode(template.at(0, tune, false)), TrialRequest.class);
        TrialResult remote = TrialCodec.decode(TrialCodec.encode(new TrialRunner().run(request, (e, v) -> true)),
                TrialResult.class);
        assertEquals(TrialState.COMPLETE, remote.state(), remote.message());
        assertEquals(scored.value(), remote.value(), 1e-12);
    }

    @Test
    void graftSearchWithAHeadChoosesAndMeasuresItAndItsJournalRefusesAnotherHead() throws IOException {
        String search = "search: {sampler: random, trials: 2, genes: {lr_multipliers: [1], fractions: [1], "
                + "base_lrs: [0.01], l2sp: [0], epochs: [3]}}\n";
        Path exp = experiment("head: {type: knn, k: [1, 3]}\n" + search);
        Prepared p = prepare(exp);
        SearchSettings s = SearchSettings.of(p.config(), "s");
        SearchRunner.Outcome o = SearchRunner.run(p, s, false, (t, summary, best, finished, total, eta) -> { });
        assertNotNull(o.choice());
        // every candidate, the hand strategies too, ends in the head: the refit's test metrics are its
        assertTrue(o.bestRun().message().contains("knn"), o.bestRun().message());
        assertNotNull(o.bestRun().test());
        assertEquals("knn on the input of head, network fine-tuned first", new com.fasterxml.jackson.databind
                .ObjectMapper().readTree(o.results().toFile()).path("classical_head").asText());
        // a resume under another head would mix values of two heads in one study
        Files.writeString(exp, Files.readString(exp).replace("head: {type: knn, k: [1, 3]}", "head: {type: knn}"));
        Prepared other = prepare(exp);
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> SearchRunner.run(other, SearchSettings.of(other.config(), "s"), true,
                        (t, summary, best, finished, total, eta) -> { }));
        assertTrue(e.getMessage().contains("scored by") && e.getMessage().contains("classical head knn"),
                e.getMessage());
    }

    @Test
    void aContrastiveSearchTunesTheEncoderOnPairsAsItsPolicySays() throws IOException {
        Path exp = experiment("head: {type: logistic_regression, c: 1}\ncontrastive: {iterations: 2}\n"
                + "search: {sampler: random, trials: 1, fitness: {method: holdout}, genes: {lr_multipliers: [1], "
                + "fractions: [1], base_lrs: [0.01], l2sp: [0]}}\n");
        Prepared p = prepare(exp);
        SearchSettings s = SearchSettings.of(p.config(), "s");
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        PolicyObjective objective = new PolicyObjective(p, space, 4, 0, s.metric(), s.newCache())
                .withHead(SearchHead.ofExperiment(p, s));
        assertTrue(objective.head().contrastive() && !objective.head().fineTuned());

        // fine-tuned at x1 and the experiment's Adam at 0.01: the plain SetFit strategy
        Strategies.Resolved setfit = Strategies.resolve(new ExperimentConfig.StrategySpec("setfit", "contrastive", null,
                null, null, null, null, null, null, null, p.config().head(), p.config().contrastive()), p.layout(),
                p.train(), p.dir(), 0, "setfit");
        RunRecord plain = ExperimentRunner.run(p, setfit, 4, 0, ExperimentRunner.Progress.NONE, null, false);
        PolicyObjective.Scored tuned = objective.score(point(space, TransferPolicy.Decision.FINETUNE),
                ExperimentRunner.Progress.NONE);
        assertEquals(PolicyObjective.fitness(plain, s.metric()), tuned.value(), 1e-12);
        assertTrue(tuned.run().message().contains("encoder tuned on"), tuned.run().message());

        // frozen by the policy, the pairs change nothing: the head on the transferred features
        Strategies.Resolved headOnly = Strategies.resolve(new ExperimentConfig.StrategySpec("lr", null, null, null,
                null, null, null, null, null, null, p.config().head(), null), p.layout(), p.train(), p.dir(), 0, "lr");
        RunRecord frozenPlain = ExperimentRunner.run(p, headOnly, 4, 0, ExperimentRunner.Progress.NONE, null, false);
        assertEquals(PolicyObjective.fitness(frozenPlain, s.metric()),
                objective.score(point(space, TransferPolicy.Decision.FROZEN), ExperimentRunner.Progress.NONE).value(),
                1e-12);
    }

    @Test
    void settingsThatCannotScoreAClassicalHeadAreRefusedNamingTheKey() throws IOException {
        Path exp = experiment("head: {type: knn}\nsearch: {trials: 2, pruner: median}\n");
        Prepared p = prepare(exp);
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> SearchHead.ofExperiment(p, SearchSettings.of(p.config(), "s")));
        assertTrue(e.getMessage().contains(exp + ": search.pruner: a classical head"), e.getMessage());
        Files.writeString(exp, Files.readString(exp).replace("{trials: 2, pruner: median}",
                "{trials: 2, genes: {epochs: [1, 2]}}").replace("head: {type: knn}", "contrastive: {}"));
        Prepared q = prepare(exp);
        e = assertThrows(GraftInputException.class, () -> SearchHead.ofExperiment(q, SearchSettings.of(q.config(), "s")));
        assertTrue(e.getMessage().contains(exp + ": search.genes.epochs"), e.getMessage());
        Files.writeString(exp, Files.readString(exp).replace("contrastive: {}", "head: {type: knn, c: 1}"));
        Prepared r = prepare(exp);
        e = assertThrows(GraftInputException.class, () -> SearchHead.ofExperiment(r, SearchSettings.of(r.config(), "s")));
        assertTrue(e.getMessage().startsWith(exp + ": head.c: knn does not read it"), e.getMessage());
    }
}
