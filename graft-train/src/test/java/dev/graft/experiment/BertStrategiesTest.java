package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.family.BertConfig;
import dev.graft.model.family.BertFamily;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The built-in strategies on BERT decide per layer group: the embeddings, each encoder layer
 * (its six linear layers and two LayerNorms together) and the classifier, as BERT fine-tuning
 * does (Howard and Ruder 2018; Sun et al. 2019), never per linear layer.
 */
class BertStrategiesTest {
    /** 3 encoder layers of hidden size 8 (2 heads, feed-forward 16), vocabulary 30, 10 positions, 2 types. */
    static final ModelLayout BERT = ModelLayout.of(BertFamily.spec(
            new BertConfig(8, 3, 2, 16, 30, 10, 2, 1e-12, 0, 0, 0), 2, BertFamily.Pooling.MEAN, 6, "bert"));
    static final List<String> GROUPS = List.of("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2",
            "classifier");

    static Strategies.Resolved resolve(String yaml) {
        ExperimentConfig c = ExperimentLoader.parse("e.yaml", "name: t\nmodel: m.yaml\nstrategies: [" + yaml + "]\n");
        return Strategies.resolve(c.strategies().get(0), BERT, TrainSettings.defaults(), Path.of("."), 0, "s");
    }

    static TransferResult transfer(Strategies.Resolved s) {
        MemoryWeightStore source = new MemoryWeightStore(null, Transferor.apply(new MemoryWeightStore(null, Map.of(),
                Map.of()), BERT, new TransferPlan(List.of(), false, 1), true).tensors(), Map.of());
        return Transferor.apply(source, BERT, s.plan(), false);
    }

    /** The group a tensor is under, by its name's prefix (independent of the layout's grouping). */
    static String groupOf(String tensor) {
        return GROUPS.stream().filter(g -> tensor.startsWith(g + ".")).findFirst().orElseThrow(() ->
                new AssertionError(tensor));
    }

    /** Each group's modes, as the set of mode names its tensors got. */
    static Map<String, List<String>> modesByGroup(TransferResult tr) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ParamInfo p : BERT.params()) {
            String mode = tr.modes().get(p.name()).getClass().getSimpleName();
            List<String> seen = out.computeIfAbsent(groupOf(p.name()), k -> new java.util.ArrayList<>());
            if (!seen.contains(mode)) {
                seen.add(mode);
            }
        }
        return out;
    }

    @Test
    void theGroupsAreTheEmbeddingsEachEncoderLayerAndTheClassifier() {
        assertEquals(GROUPS, BERT.groups().stream().map(dev.graft.model.LayerGroup::name).toList());
    }

    @Test
    void partialFineTunesTheTopEncoderLayerWholeAndFreezesTheRest() {
        TransferResult tr = transfer(resolve("partial"));
        // layers 2 (the default): the classifier (new) and encoder.layer.2; embeddings and layers 0-1 frozen
        assertEquals(Map.of("embeddings", List.of("Frozen"), "encoder.layer.0", List.of("Frozen"),
                "encoder.layer.1", List.of("Frozen"), "encoder.layer.2", List.of("FineTune"),
                "classifier", List.of("Reinit")), modesByGroup(tr));
        assertEquals(new Mode.FineTune(1), tr.modes().get("encoder.layer.2.output.LayerNorm.weight"));
        // 5 embedding tensors + 2 × 16 (6 linear layers and 2 LayerNorms, weight and bias each)
        assertEquals(5 + 32, tr.modes().values().stream().filter(m -> m instanceof Mode.Frozen).count());
        assertEquals(16, tr.modes().values().stream().filter(m -> m instanceof Mode.FineTune).count());

        Map<String, List<String>> three = modesByGroup(transfer(resolve("{name: p3, base: partial, layers: 3}")));
        assertEquals(List.of("FineTune"), three.get("encoder.layer.1"));
        assertEquals(List.of("Frozen"), three.get("encoder.layer.0"));
        Map<String, List<String>> all = modesByGroup(transfer(resolve("{name: p5, base: partial, layers: 5}")));
        assertEquals(List.of("FineTune"), all.get("embeddings"), "layers counts groups: 5 is every one");
    }

    @Test
    void discriminativeDecaysHalfPerEncoderLayerAndUnfreezesOneGroupPerEpoch() {
        Strategies.Resolved d = resolve("discriminative");
        FineTuner.Policy policy = new FineTuner.Policy(transfer(d).modes(), Map.of());
        Map<String, Double> rates = FineTuner.lrMultipliers(BERT, policy, d.train(), 100);
        // distance from the top group (the classifier): 0.5^k
        Map<String, Double> expected = Map.of("classifier", 1.0, "encoder.layer.2", 0.5, "encoder.layer.1", 0.25,
                "encoder.layer.0", 0.125, "embeddings", 0.0625);
        for (ParamInfo p : BERT.params()) {
            assertEquals(expected.get(groupOf(p.name())), rates.get(p.name()), 0, p.name());
        }
        // gradual unfreezing, one group per epoch: 2 classifier tensors, then 16 per encoder layer, then 5
        int[] open = {2, 18, 34, 50, 55, 55};
        for (int epoch = 0; epoch < open.length; epoch++) {
            assertEquals(open[epoch], FineTuner.lrMultipliers(BERT, policy, d.train(), epoch).size(), "epoch " + epoch);
        }
        assertTrue(FineTuner.lrMultipliers(BERT, policy, d.train(), 1).containsKey(
                "encoder.layer.2.attention.output.LayerNorm.bias"), "an encoder layer unfreezes whole");
    }

    @Test
    void layerDecayOnFullIsLayerWiseDecayOverEncoderLayers() {
        Strategies.Resolved s = resolve("{name: llrd, base: full, train: {layer_decay: 0.8}}");
        TrainConfig t = s.train();
        assertEquals(0.8, t.layerDecay());
        Map<String, Double> rates = FineTuner.lrMultipliers(BERT, new FineTuner.Policy(transfer(s).modes(), Map.of()),
                t, 0);
        Map<String, Double> expected = Map.of("classifier", 1.0, "encoder.layer.2", 0.8, "encoder.layer.1", 0.64,
                "encoder.layer.0", 0.512, "embeddings", 0.4096);
        assertEquals(BERT.params().size(), rates.size(), "everything trains from the first epoch");
        for (ParamInfo p : BERT.params()) {
            assertEquals(expected.get(groupOf(p.name())), rates.get(p.name()), 1e-12, p.name());
        }
    }

    @Test
    void theTransferMapHasOneRowPerBlock() {
        Strategies.Resolved s = resolve("partial");
        List<LayerDecision> rows = LayerDecision.of(BERT, transfer(s), s.train());
        assertEquals(GROUPS, rows.stream().map(LayerDecision::layer).toList());
        assertEquals(GROUPS, rows.stream().map(LayerDecision::group).toList());
        // embeddings: 30×8 words + 10×8 positions + 2×8 types + LayerNorm 8 + 8
        assertEquals(new LayerDecision("embeddings", "bert_embeddings", LayerDecision.FROZEN, 0, 1, 352, 0,
                "embeddings"), rows.get(0));
        // an encoder layer: 4 × (8×8 + 8) attention, 16 LayerNorm, 16×8 + 16 and 8×16 + 8
        // feed-forward, 16 LayerNorm
        assertEquals(new LayerDecision("encoder.layer.2", "bert_layer", LayerDecision.FINE_TUNED, 1, 1, 600, 600,
                "encoder.layer.2"), rows.get(3));
        assertEquals(new LayerDecision("classifier", "linear", LayerDecision.REINITIALIZED, 1, 0, 18, 18,
                "classifier"), rows.get(4));
    }
}
