package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExperimentTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void shippedExperimentsLoadAndResolve() {
        for (String name : List.of("fashion-few-shot.yaml", "pretrain-source.yaml", "pretrain-shipped.yaml")) {
            ExperimentConfig c = ExperimentLoader.read(EXAMPLES.resolve("experiments").resolve(name));
            assertTrue(c.name() != null && c.model() != null, name);
        }
        ExperimentConfig demo = ExperimentLoader.read(EXAMPLES.resolve("experiments/fashion-few-shot.yaml"));
        assertEquals(List.of(5, 10), demo.shots());
        List<String> names = demo.strategies().stream().map(ExperimentConfig.StrategySpec::name).toList();
        assertEquals(Strategies.BUILT_IN, names.subList(0, 6));
        assertEquals(List.of("genetic", "annealing", "lwf", "ewc"), names.subList(6, 10));
        assertEquals("classifier.4", ExperimentRunner.prepare(demo, EXAMPLES.resolve("experiments/fashion-few-shot.yaml"),
                ExperimentRunner.Progress.NONE).sourceTask().head());
        assertEquals(8, demo.strategies().get(6).trials());
        assertTrue(demo.seeds().size() >= 3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "name: x\\ntrain: {epochs: 3, colour: red}              | unknown key 'train.colour'",
        "name: x\\ntrain: {schedule: {type: cosine, warm: 2}}   | unknown key 'train.schedule.warm'",
        "name: x\\nstrategies: [full, {name: a, lyers: 2}]      | unknown key 'strategies[1].lyers'",
        "name: x\\ntrain: {epochs: many}                        | at 'train.epochs'",
        "name: x\\nbogus: 1                                     | unknown key 'bogus'",
        "name: a: b                                             | not valid YAML",
        "name: [x]                                              | 'name' must be text",
        // before: the last of two keys won silently, and 2.5 epochs trained 2
        "name: x\\ntrain: {epochs: 3}\\ntrain: {epochs: 9}      | line 3, column 6: not valid YAML: Duplicate field 'train'",
        "name: x\\ntrain: {epochs: 2.5}                         | at 'train.epochs'",
        // before: Java's words ("Cannot deserialize value of type `java.lang.String` from Array value")
        "name: x\\nsearch: {prior: [logme]}                     | line 2, column 17: 'search.prior' must be text",
        "name: x\\nsearch: {fitness: kfold}                     | 'search.fitness' must be a mapping",
        "name: x\\ntrain: {epochs: 3, epochs: 4}                | line 2, column 26: at 'train': Duplicate field 'epochs'",
        // before: a key without a value read as absent, so a section whose keys were lost went unnoticed
        "name: x\\nstrategies: [full, {name: lr, base: full, head: }] | 'strategies[1].head' has no value",
        "name: x\\nexport:\\nshots: [4]                        | 'export' has no value",
        "name: x\\nseeds: [1, ~]                                | 'seeds[1]' has no value",
    })
    void unknownKeysAndBadValuesNameTheirPath(String yaml, String expected) {
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> ExperimentLoader.parse("exp.yaml", yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith("exp.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected " + expected + " in " + e.getMessage());
    }

    @Test
    void aTaskMappingMustSayItsType() {
        // before: task: {loss: mse} trained a classification (the type's default) without a word
        GraftInputException e = assertThrows(GraftInputException.class, () -> RegressionData.loss(
                ExperimentLoader.parse("e", "name: x\ntask: {loss: mse}").task(), "e: task"));
        assertEquals("e: task.type: missing; say which task (classification or regression)", e.getMessage());
        assertTrue(RegressionData.loss(ExperimentLoader.parse("e", "name: x\ntask: classification").task(), "e: task")
                .isEmpty());
    }

    @Test
    void trainSectionsOverrideDefaults() {
        ExperimentConfig c = ExperimentLoader.parse("e", """
                train:
                  optimizer: sgd
                  lr: 0.5
                  momentum: 0.8
                  epochs: 7
                  schedule: {type: step, step_size: 3, gamma: 0.5}
                  regularization: {l2sp_alpha: 0.1}
                  imbalance: smote
                  augment: {flip: true, mixup: 0.2}
                  early_stopping: {metric: macro_f1, patience: 2}
                """);
        TrainConfig t = TrainSettings.apply(TrainSettings.defaults(), c.train(), "train");
        assertEquals(dev.graft.train.OptimizerKind.SGD, t.optimizer().kind());
        assertEquals(0.5, t.optimizer().lr());
        assertEquals(0.8, t.optimizer().momentum());
        assertEquals(7, t.epochs());
        assertEquals(32, t.batchSize(), "default kept");
        assertEquals(new dev.graft.train.Schedule.Step(3, 0.5), t.schedule());
        assertEquals(0.1, t.regularization().l2spAlpha());
        assertEquals(dev.graft.train.Imbalance.SMOTE, t.imbalance());
        assertTrue(t.augment().horizontalFlip());
        assertEquals(dev.graft.metrics.MetricName.MACRO_F1, t.earlyStopping().metric());
        assertTrue(t.earlyStopping().restoreBest());
        GraftInputException e = assertThrows(GraftInputException.class, () -> TrainSettings.apply(TrainSettings.defaults(),
                ExperimentLoader.parse("e", "train: {optimizer: lion}").train(), "train"));
        assertTrue(e.getMessage().contains("train.optimizer: unknown value 'lion'"), e.getMessage());
    }

    static ModelLayout cnn() {
        return ModelLayout.of(SpecParser.read(EXAMPLES.resolve("specs/small-cnn.yaml")));
    }

    static Map<String, Mode> modes(String strategy, Integer layers) {
        ModelLayout l = cnn();
        Strategies.Resolved r = Strategies.resolve(ExperimentConfig.StrategySpec.of(strategy, strategy, null, layers),
                l, TrainSettings.defaults(), Path.of("."), 0, "s");
        try (MemoryWeightStore src = dev.graft.testing.Sources.cnn()) {
            TransferResult tr = Transferor.apply(src, l, r.plan(), false);
            return tr.modes();
        }
    }

    /** Before: with no shots the whole pool trained, validation images included (train 250, validation 50). */
    @Test
    void withoutShotsTheValidationImagesAreNotTrainedOn() throws java.io.IOException {
        Path exp = EXAMPLES.resolve("experiments/fashion-few-shot.yaml").toAbsolutePath().normalize();
        String yaml = java.nio.file.Files.readString(exp).replaceAll("(?m)^shots: .*$", "")
                .replaceAll("(?m)^(\\s*)validation_per_class: .*$", "$1validation_per_class: 10");
        Prepared p = ExperimentRunner.prepare(ExperimentLoader.parse("x", yaml), exp, ExperimentRunner.Progress.NONE);
        ExperimentRunner.Splits s = ExperimentRunner.splits(p, 0, 0);
        int pool = p.data().pool().size();
        assertEquals(50, s.validation().size());
        assertEquals(pool - 50, s.train().size());
        java.util.Set<String> train = new java.util.HashSet<>();
        int width = s.train().sampleSize();
        for (int i = 0; i < s.train().size(); i++) {
            train.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(s.train().features(), i * width,
                    (i + 1) * width)));
        }
        for (int i = 0; i < s.validation().size(); i++) {
            assertFalse(train.contains(java.util.Arrays.toString(java.util.Arrays.copyOfRange(
                    s.validation().features(), i * width, (i + 1) * width))), "validation image " + i + " trains");
        }
        // early stopping with no validation split to watch never stopped, silently
        String noValidation = yaml.replaceAll("(?m)^\\s*validation_per_class: .*\\n", "");
        GraftInputException es = assertThrows(GraftInputException.class, () -> ExperimentRunner.prepare(
                ExperimentLoader.parse("x", noValidation), exp, ExperimentRunner.Progress.NONE));
        assertTrue(es.getMessage().contains("train.early_stopping watches a validation split"), es.getMessage());
        // an output folder that cannot be made was found only after training, results lost
        Path file = java.nio.file.Files.createTempFile("graft-output", ".txt");
        String badOutput = yaml.replaceAll("(?m)^output: .*$", "output: " + file.resolve("sub"));
        GraftInputException out = assertThrows(GraftInputException.class, () -> ExperimentRunner.prepare(
                ExperimentLoader.parse("x", badOutput), exp, ExperimentRunner.Progress.NONE));
        assertEquals(exp + ": output: " + file + " is a file, not a folder", out.getMessage());
        java.nio.file.Files.delete(file);
        // both validation settings: the fraction won and validation_per_class was ignored
        String both = yaml.replace("validation_per_class: 10", "validation_per_class: 10\n  validation_fraction: 0.2");
        GraftInputException twice = assertThrows(GraftInputException.class, () -> ExperimentRunner.prepare(
                ExperimentLoader.parse("x", both), exp, ExperimentRunner.Progress.NONE));
        assertTrue(twice.getMessage().endsWith("give validation_per_class or validation_fraction, not both"),
                twice.getMessage());
        // a class whose every sample would go to validation is refused, not trained without
        String all = yaml.replace("validation_per_class: 10", "validation_per_class: " + pool / 5);
        GraftInputException e = assertThrows(GraftInputException.class, () -> ExperimentRunner.splits(
                ExperimentRunner.prepare(ExperimentLoader.parse("x", all), exp, ExperimentRunner.Progress.NONE), 0, 0));
        assertTrue(e.getMessage().contains("has every sample taken for validation"), e.getMessage());
    }

    /**
     * On a CNN the layer groups are the linear and convolution layers with their BatchNorm, so
     * partial's plan is the one it always was: the head's rule, each tuned layer's and its
     * BatchNorm's, then everything else frozen.
     */
    @Test
    void partialsPlanOnTheDemoCnnIsPerUnitLayerWithItsBatchNorm() {
        Strategies.Resolved r = Strategies.resolve(ExperimentConfig.StrategySpec.of("partial", "partial", null, 3),
                cnn(), TrainSettings.defaults(), Path.of("."), 0, "s");
        assertEquals(List.of("classifier.4.* Reinit", "features.4.* FineTune", "features.5.* FineTune",
                "classifier.1.* FineTune", "** Frozen"), r.plan().rules().stream()
                .map(x -> x.match() + " " + x.mode().getClass().getSimpleName()).toList());
        Strategies.Resolved two = Strategies.resolve(ExperimentConfig.StrategySpec.named("partial"), cnn(),
                TrainSettings.defaults(), Path.of("."), 0, "s");
        assertEquals(List.of("classifier.4.*", "classifier.1.*", "**"), two.plan().rules().stream()
                .map(x -> x.match().toString()).toList(), "2 layers by default");
    }

    @Test
    void builtInStrategiesFreezeAndReinitializeWhatTheySay() {
        Map<String, Mode> head = modes("head_only", null);
        assertTrue(head.get("classifier.4.weight") instanceof Mode.Reinit);
        assertTrue(head.get("classifier.1.weight") instanceof Mode.Frozen);
        assertTrue(head.get("features.0.weight") instanceof Mode.Frozen);
        Map<String, Mode> partial = modes("partial", 3);
        assertTrue(partial.get("features.4.weight") instanceof Mode.FineTune);
        assertTrue(partial.get("features.5.running_mean") instanceof Mode.FineTune);
        assertTrue(partial.get("features.0.weight") instanceof Mode.Frozen);
        Map<String, Mode> full = modes("full", null);
        assertTrue(full.get("features.0.weight") instanceof Mode.FineTune);
        assertTrue(full.get("classifier.4.bias") instanceof Mode.Reinit);
        assertTrue(modes("scratch", null).values().stream().allMatch(m -> m instanceof Mode.Reinit));
        Strategies.Resolved d = Strategies.resolve(ExperimentConfig.StrategySpec.named("discriminative"), cnn(),
                TrainSettings.defaults(), Path.of("."), 0, "s");
        assertEquals(0.5, d.train().layerDecay());
        assertEquals(1, d.train().gradualUnfreezeEvery());
        Strategies.Resolved l2 = Strategies.resolve(ExperimentConfig.StrategySpec.named("l2sp"), cnn(),
                TrainSettings.defaults(), Path.of("."), 0, "s");
        assertEquals(0.01, l2.train().regularization().l2spAlpha());
        assertEquals(0, l2.train().optimizer().weightDecay());
        assertThrows(GraftInputException.class, () -> Strategies.resolve(ExperimentConfig.StrategySpec.named("magic"),
                cnn(), TrainSettings.defaults(), Path.of("."), 0, "s"));
    }

    @Test
    void gradualUnfreezingAndDiscriminativeRates() {
        ModelLayout l = cnn();
        TrainConfig d = Strategies.resolve(ExperimentConfig.StrategySpec.named("discriminative"), l,
                TrainSettings.defaults(), Path.of("."), 0, "s").train();
        FineTuner.Policy all = FineTuner.Policy.allTrainable();
        assertEquals(List.of("classifier.4.weight", "classifier.4.bias"),
                List.copyOf(FineTuner.lrMultipliers(l, all, d, 0).keySet()));
        assertEquals(4, FineTuner.lrMultipliers(l, all, d, 1).size());
        Map<String, Double> e3 = FineTuner.lrMultipliers(l, all, d, 3);
        assertEquals(12, e3.size(), "all four layer groups: 4 + 4 trainable tensors with BatchNorm, 2 + 2");
        assertEquals(1.0, e3.get("classifier.4.weight"));
        assertEquals(0.5, e3.get("classifier.1.bias"));
        assertEquals(0.25, e3.get("features.5.weight"), "BatchNorm trains with its convolution's group");
        assertEquals(0.125, e3.get("features.0.weight"));
        FineTuner.Policy frozen = new FineTuner.Policy(Map.of("features.0.weight", new Mode.Frozen(),
                "features.4.weight", new Mode.FineTune(0.1)), Map.of());
        Map<String, Double> plain = FineTuner.lrMultipliers(l, frozen, TrainSettings.defaults(), 0);
        assertFalse(plain.containsKey("features.0.weight"));
        assertEquals(0.1, plain.get("features.4.weight"), 1e-12);
    }

    @Test
    void pretrainingOnTheShippedSourceDataGivesAUsableSource() {
        Path data = Path.of("..", "data", "fashion").toAbsolutePath().normalize();
        Path spec = EXAMPLES.resolve("specs/small-cnn.yaml").toAbsolutePath().normalize();
        ExperimentConfig c = ExperimentLoader.parse("pre", """
                name: pre
                model: %s
                source:
                  pretrain:
                    data:
                      train_images: %s/source-train-images-idx3-ubyte.gz
                      train_labels: %s/source-train-labels-idx1-ubyte.gz
                      classes: [0, 1, 3, 5, 8]
                      caps: [60, 60, 60, 60, 60]
                    train: {epochs: 2, batch_size: 30}
                data:
                  train_images: %s/target-pool-images-idx3-ubyte.gz
                  train_labels: %s/target-pool-labels-idx1-ubyte.gz
                  test_images: %s/source-test-images-idx3-ubyte.gz
                  test_labels: %s/source-test-labels-idx1-ubyte.gz
                  classes: [0, 1, 3, 5, 8]
                """.formatted(spec, data, data, data, data, data, data).replace("target-pool", "source-train"));
        Prepared p = ExperimentRunner.prepare(c, Path.of("pre.yaml"), ExperimentRunner.Progress.NONE);
        assertEquals("pretrain", p.sourceLabel());
        assertEquals(18, p.source().names().size());
        // the pre-trained weights, frozen under a new head, already separate the source classes
        Strategies.Resolved headOnly = Strategies.resolve(ExperimentConfig.StrategySpec.named("head_only"), p.layout(),
                TrainSettings.apply(TrainSettings.defaults(), ExperimentLoader.parse("t", "train: {epochs: 3}").train(),
                        "t"), Path.of("."), 0, "s");
        RunRecord r = ExperimentRunner.run(p, headOnly, 5, 0, ExperimentRunner.Progress.NONE, null);
        assertTrue(r.accuracy() > 0.5, "accuracy " + r.accuracy());
    }

    @Test
    void aTestSplitIsCarvedStratifiedFromThePoolWhenNoTestFilesAreGiven() {
        Path data = Path.of("..", "data", "fashion").toAbsolutePath().normalize();
        ExperimentConfig c = ExperimentLoader.parse("split", """
                data:
                  train_images: %s/target-pool-images-idx3-ubyte.gz
                  train_labels: %s/target-pool-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                  test_fraction: 0.2
                  split_seed: 3
                """.formatted(data, data));
        TaskData t = TaskData.load(c.data(), Path.of("."), "split");
        assertEquals(List.of(10, 10, 10, 10, 10), java.util.Arrays.stream(t.test().classCounts()).boxed().toList());
        assertEquals(200, t.pool().size());
        TaskData again = TaskData.load(c.data(), Path.of("."), "split");
        assertTrue(java.util.Arrays.equals(t.test().features(), again.test().features()), "fixed by split_seed");
    }
}
