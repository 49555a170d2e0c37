package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.engine.Engines;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.metrics.MetricName;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.train.OptimizerKind;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy search over BERT decides per layer group (the embeddings, each encoder layer whole,
 * the classifier), and a policy that freezes the first groups trains only the rest on their
 * cached output.
 */
class BertPolicyTest {
    static final int LENGTH = 6;
    /** 3 encoder layers of hidden size 8 (2 heads, feed-forward 16), vocabulary 30, no dropout. */
    static final BertConfig CONFIG = new BertConfig(8, 3, 2, 16, 30, 10, 2, 1e-12, 0, 0, 0);
    static final List<String> GROUPS = List.of("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2",
            "classifier");

    @TempDir
    static Path dir;

    static Prepared experiment;

    /** An experiment: the small BERT, a random source of the same shape, and token ids as CSV columns. */
    @BeforeAll
    static void writeExperiment() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 3, "num_attention_heads": 2,
                 "intermediate_size": 16, "vocab_size": 30, "max_position_embeddings": 10, "type_vocab_size": 2,
                 "hidden_act": "gelu", "hidden_dropout_prob": 0, "attention_probs_dropout_prob": 0}
                """);
        ModelLayout source = ModelLayout.of(BertFamily.spec(CONFIG, 2, BertFamily.Pooling.MEAN, LENGTH, "source"));
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(source, m)) {
            SafetensorsWriter.write(dir.resolve("source.safetensors"), model.stateDict(), Map.of());
        }
        Files.writeString(dir.resolve("train.csv"), csv(60, 1));
        Files.writeString(dir.resolve("test.csv"), csv(20, 2));
        Files.writeString(dir.resolve("e.yaml"), """
                name: bert-search
                model: {family: bert, config: config.json, num_classes: 2, input: [%d]}
                source: {checkpoint: source.safetensors}
                data: {format: csv, train_images: train.csv, test_images: test.csv, validation_per_class: 5}
                train: {batch_size: 8}
                """.formatted(LENGTH));
        ExperimentConfig c = ExperimentLoader.read(dir.resolve("e.yaml"));
        experiment = ExperimentRunner.prepare(c, dir.resolve("e.yaml"), ExperimentRunner.Progress.NONE);
    }

    /** Class c: 2..6 random tokens from 3..29 holding token 1 + c somewhere, padded with 0. */
    static String csv(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("t0,t1,t2,t3,t4,t5,label\n");
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            int[] ids = new int[LENGTH];
            int real = 2 + r.nextInt(LENGTH - 1);
            for (int t = 0; t < real; t++) {
                ids[t] = 3 + r.nextInt(27);
            }
            ids[r.nextInt(real)] = 1 + label;
            for (int id : ids) {
                sb.append(id).append(',');
            }
            sb.append(label).append('\n');
        }
        return sb.toString();
    }

    static PolicySpace space(Map<String, List<String>> groups) {
        return new PolicySpace(experiment.layout(), new PolicySpace.Choices(List.of(1.0, 0.3), List.of(0.5, 1.0),
                List.of(1e-3), List.of(0.0), List.of(OptimizerKind.ADAM), List.of(3), false, groups));
    }

    @Test
    void theSpaceHasThreeGenesPerGroupAndBlocksTransferWhole() {
        PolicySpace ps = space(Map.of());
        assertEquals(GROUPS, List.copyOf(ps.groups().keySet()));
        List<Dimension> dims = ps.space().dimensions();
        assertEquals(5 * 3 + 4, dims.size());
        assertEquals("encoder.layer.1.decision", dims.get(6).name());
        for (int g = 0; g < 4; g++) {
            assertEquals(3, dims.get(3 * g).choices().size(), GROUPS.get(g) + " decision is searched");
            // a block has no one unit layer to take a share of: it is transferred whole
            assertEquals(List.of(1.0), dims.get(3 * g + 2).choices(), GROUPS.get(g) + " fraction");
        }
        assertTrue(dims.get(12).fixed(), "the classifier is new");
        assertEquals(List.of(1.0), dims.get(14).choices(), "the head's fraction");

        PolicySpace joined = space(Map.of("bottom", List.of("embeddings", "encoder.layer.0")));
        assertEquals(List.of("bottom", "encoder.layer.1", "encoder.layer.2", "classifier"),
                List.copyOf(joined.groups().keySet()));
        assertEquals(GROUPS, List.copyOf(joined.decode(new int[joined.space().rank()]).layers().keySet()),
                "a policy still decides every model group, in order");
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> space(Map.of("q", List.of("encoder.layer.0.attention.self.query"))));
        assertTrue(e.getMessage().contains("names 'encoder.layer.0.attention.self.query', which is not a layer group"
                + " of the model (its groups, in order: embeddings, encoder.layer.0, encoder.layer.1, encoder.layer.2,"
                + " classifier)"), e.getMessage());
    }

    /** Embeddings and encoder.layer.0 frozen, the other encoder layers fine-tuned at 0.3×, the classifier new. */
    static int[] frozenBottom(PolicySpace ps) {
        int[] point = new int[ps.space().rank()];
        point[0] = 1; // embeddings: FROZEN
        point[3] = 1; // encoder.layer.0: FROZEN
        point[6] = 2; // encoder.layer.1: FINETUNE
        point[7] = 1; // at 0.3
        point[9] = 2; // encoder.layer.2: FINETUNE
        point[10] = 1;
        return point;
    }

    @Test
    void aPolicyDecidesEveryTensorOfItsGroups() {
        PolicySpace ps = space(Map.of());
        TransferPolicy policy = ps.decode(frozenBottom(ps));
        assertEquals("F F Tx0.3 Tx0.3 S | lr 1e-03 l2sp 0 adam 3 ep", policy.summary());
        TransferPolicy.Expanded e = policy.expand(experiment.layout(), experiment.source(), experiment.train(), 0);
        TransferResult r = Transferor.apply(experiment.source(), experiment.layout(), e.plan(), false);
        for (var q : experiment.layout().params()) {
            Mode m = r.modes().get(q.name());
            String n = q.name();
            Mode expected = n.startsWith("embeddings.") || n.startsWith("encoder.layer.0.") ? new Mode.Frozen()
                    : n.startsWith("classifier.") ? m : new Mode.FineTune(0.3);
            assertEquals(expected, m, n);
        }
        assertTrue(r.modes().get("classifier.weight") instanceof Mode.Reinit);
        assertTrue(r.frozenUnits().isEmpty());
    }

    @Test
    void freezingTheEmbeddingsAndFirstEncoderLayerCachesTheirOutput() {
        PolicySpace ps = space(Map.of());
        int[] point = frozenBottom(ps);
        PrefixFeatureCache cache = new PrefixFeatureCache(64L << 20);
        PolicyObjective plain = new PolicyObjective(experiment, ps, 4, 3, MetricName.ACCURACY);
        PolicyObjective cached = new PolicyObjective(experiment, ps, 4, 3, MetricName.ACCURACY, cache);
        RunRecord a = plain.run(point);
        RunRecord b = cached.run(point);
        assertTrue(b.message().contains("prefix of 2 frozen layer groups cached"), b.message());
        assertEquals(1, cache.misses());
        assertEquals(a.history().size(), b.history().size());
        for (int ep = 0; ep < a.history().size(); ep++) {
            assertEquals(a.history().get(ep).trainLoss(), b.history().get(ep).trainLoss(), 1e-3, "epoch " + ep);
        }
        // the suffix trained: its loss moved
        assertFalse(b.history().get(0).trainLoss() == b.history().get(b.history().size() - 1).trainLoss());
        int[] other = point.clone();
        other[10] = 0; // encoder.layer.2 at 1×: the same frozen prefix
        assertTrue(cached.run(other).message().contains("cached"));
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        int[] open = point.clone();
        open[3] = 2; // encoder.layer.0 fine-tuned: only the embeddings frozen, a prefix of one group
        assertTrue(cached.run(open).message().contains("prefix of 1 frozen layer groups cached"));
        assertEquals(2, cache.misses());
    }

    /**
     * A prefix that applies dropout is not cached (its output in training is random), unless the
     * experiment's {@code train.dropout: 0} turns dropout off: the cut is judged on the model as it
     * trains, and the suffix trains with that dropout too (all-MiniLM-L6-v2's ONNX export gets
     * BERT's 0.1, so this is how its frozen prefix can be cached at all).
     */
    @Test
    void aPrefixWithDropoutIsCachedOnlyWhenTrainDropoutTurnsItOff() throws IOException {
        Files.writeString(dir.resolve("config-dropout.json"), """
                {"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 3, "num_attention_heads": 2,
                 "intermediate_size": 16, "vocab_size": 30, "max_position_embeddings": 10, "type_vocab_size": 2,
                 "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1}
                """);
        for (String train : List.of("{batch_size: 8}", "{batch_size: 8, dropout: 0.0}")) {
            Path f = dir.resolve("e-dropout.yaml");
            Files.writeString(f, """
                    name: bert-search-dropout
                    model: {family: bert, config: config-dropout.json, num_classes: 2, input: [%d]}
                    source: {checkpoint: source.safetensors}
                    data: {format: csv, train_images: train.csv, test_images: test.csv, validation_per_class: 5}
                    train: %s
                    """.formatted(LENGTH, train));
            Prepared p = ExperimentRunner.prepare(ExperimentLoader.read(f), f, ExperimentRunner.Progress.NONE);
            PolicySpace ps = new PolicySpace(p.layout(), new PolicySpace.Choices(List.of(1.0, 0.3), List.of(0.5, 1.0),
                    List.of(1e-3), List.of(0.0), List.of(OptimizerKind.ADAM), List.of(3), false, Map.of()));
            PrefixFeatureCache cache = new PrefixFeatureCache(64L << 20);
            RunRecord r = new PolicyObjective(p, ps, 4, 3, MetricName.ACCURACY, cache).run(frozenBottom(ps));
            boolean off = train.contains("dropout");
            assertEquals(off, r.message().contains("prefix of 2 frozen layer groups cached"), train + ": " + r.message());
            assertEquals(off ? 1 : 0, cache.misses(), train);
        }
    }
}
