package dev.graft.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.testing.Models;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attention heads as units ({@code heads: encoder.layer.N.attention.self}). The truth is
 * tools/make_bert_heads_fixture.py: a 2-layer BERT with 4 heads of 8 units (hidden 32) whose
 * layers keep their 2 most important heads (layer 0: 1 and 3; layer 1: 0 and 2), pruned in
 * PyTorch as Hugging Face's {@code prune_heads} does; Graft's select_units must build the same
 * 2-head network. Masks are checked against the source's own rows and columns.
 */
class AttentionHeadsTest {
    static final MemoryWeightStore SOURCE = Models.fixture("bert_heads/source.safetensors");
    static final MemoryWeightStore IO = Models.fixture("bert_heads/io.safetensors");
    static final String SELF0 = "encoder.layer.0.attention.self";
    static final String OUT0 = "encoder.layer.0.attention.output.dense.weight";
    static final int SIZE = 8;

    /** The fixture's network with {@code heads} heads per layer ({@code head_size} 8) and mean pooling. */
    static ModelLayout bert(int heads, boolean classifier) {
        return ModelLayout.of(SpecParser.parse("bert-heads", """
                input: [10]
                layers:
                  - {name: embeddings, type: bert_embeddings, vocab_size: 50, hidden: 32, max_positions: 16}
                  - name: encoder
                    type: sequential
                    layers:
                      - name: layer
                        type: sequential
                        layers:
                          - {type: bert_layer, heads: %1$d, head_size: 8, intermediate: 48}
                          - {type: bert_layer, heads: %1$d, head_size: 8, intermediate: 48}
                """.formatted(heads) + (classifier ? """
                  - {name: pool, type: token_pool}
                  - {name: classifier, type: linear, out: 3}
                head: classifier
                """ : "")));
    }

    static TransferPlan plan(String yaml) {
        return PlanCodec.parse("test-plan", yaml);
    }

    static final TransferPlan SELECT = plan("rules: [{heads: 'encoder.layer.*.attention.self', transform: select_units}]");

    @Test
    void theSourceHasTheFixturesScoresAndTheLayoutItsHeads() {
        ModelLayout four = bert(4, true);
        assertEquals(List.of(SELF0, "encoder.layer.1.attention.self"), List.copyOf(four.sharedUnits().keySet()));
        // the fixture's own scores, recomputed here from its weights as documented: L1 of q/k/v rows per head
        float[] expected = IO.read("head_scores").toFloats();
        for (int layer = 0; layer < 2; layer++) {
            double[] score = new double[4];
            for (String m : List.of("query", "key", "value")) {
                float[] w = SOURCE.read("encoder.layer." + layer + ".attention.self." + m + ".weight").toFloats();
                for (int i = 0; i < w.length; i++) {
                    score[i / (32 * SIZE)] += Math.abs(w[i]);
                }
            }
            for (int h = 0; h < 4; h++) {
                assertEquals(expected[layer * 4 + h], score[h], 1e-3, "layer " + layer + " head " + h);
            }
        }
    }

    @Test
    void selectingHeadsBuildsThePyTorchPrunedNetwork() {
        ModelLayout two = bert(2, true);
        TransferResult r = Transferor.apply(SOURCE, two, SELECT, false);
        assertEquals(new Dims(16, 32), r.tensors().get(SELF0 + ".query.weight").dims());
        assertEquals(new Dims(16), r.tensors().get(SELF0 + ".value.bias").dims());
        assertEquals(new Dims(32, 16), r.tensors().get(OUT0).dims());
        assertEquals(r.report().totalElements(), r.report().transferredElements());
        assertArrayEquals(IO.read("logits_mean").toFloats(), Models.logits(two, r.tensors(), IO.read("input")), 1e-4f);
        // every position's final state, padding included, with the mask column passed on
        Map<String, Tensor> encoder = new LinkedHashMap<>(r.tensors());
        encoder.keySet().removeIf(n -> n.startsWith("classifier."));
        float[] out = Models.logits(bert(2, false), encoder, IO.read("input"));
        float[] expected = IO.read("last_hidden_state").toFloats();
        for (int t = 0; t < 3 * 10; t++) {
            for (int j = 0; j < 32; j++) {
                assertEquals(expected[t * 32 + j], out[t * 33 + j], 1e-4f, "token " + t + " unit " + j);
            }
        }
    }

    @Test
    void theKeptHeadsRowsAndColumnsAreTheSourcesAndTheReportSaysWhich() {
        TransferResult r = Transferor.apply(SOURCE, bert(2, true), SELECT, false);
        float[] kept = IO.read("kept_heads").toFloats();
        assertArrayEquals(new float[] {1, 3, 0, 2}, kept, "the fixture's choice");
        for (int layer = 0; layer < 2; layer++) {
            String self = "encoder.layer." + layer + ".attention.self";
            for (String m : List.of("query", "key", "value")) {
                float[] src = SOURCE.read(self + "." + m + ".weight").toFloats();
                float[] got = r.tensors().get(self + "." + m + ".weight").toFloats();
                float[] srcBias = SOURCE.read(self + "." + m + ".bias").toFloats();
                float[] gotBias = r.tensors().get(self + "." + m + ".bias").toFloats();
                for (int j = 0; j < 2; j++) {
                    int h = (int) kept[layer * 2 + j];
                    assertArrayEquals(Arrays.copyOfRange(src, h * SIZE * 32, (h + 1) * SIZE * 32),
                            Arrays.copyOfRange(got, j * SIZE * 32, (j + 1) * SIZE * 32), 0f, m + " rows of head " + h);
                    assertArrayEquals(Arrays.copyOfRange(srcBias, h * SIZE, (h + 1) * SIZE),
                            Arrays.copyOfRange(gotBias, j * SIZE, (j + 1) * SIZE), 0f, m + " bias of head " + h);
                }
            }
            float[] src = SOURCE.read("encoder.layer." + layer + ".attention.output.dense.weight").toFloats();
            float[] got = r.tensors().get("encoder.layer." + layer + ".attention.output.dense.weight").toFloats();
            for (int row = 0; row < 32; row++) {
                for (int j = 0; j < 2; j++) {
                    int h = (int) kept[layer * 2 + j];
                    assertArrayEquals(Arrays.copyOfRange(src, row * 32 + h * SIZE, row * 32 + (h + 1) * SIZE),
                            Arrays.copyOfRange(got, row * 16 + j * SIZE, row * 16 + (j + 1) * SIZE), 0f,
                            "output columns of head " + h);
                }
            }
        }
        assertEquals("select_units 2/4 heads [1, 3] of " + SELF0 + " by L1 of query, key, value rows",
                row(r, SELF0 + ".key.weight").transform());
        assertEquals(row(r, SELF0 + ".key.weight").transform(), row(r, SELF0 + ".key.bias").transform());
        assertEquals("copy, inputs follow " + SELF0, row(r, OUT0).transform());
        assertTrue(row(r, "encoder.layer.1.attention.self.query.weight").transform().contains("heads [0, 2]"));
        assertEquals("copy", row(r, "encoder.layer.0.attention.output.dense.bias").transform(), "not per head");
    }

    @Test
    void headUnitSurgeryThatCannotHoldIsRefusedWithTheReason() {
        String widen = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, bert(6, true),
                plan("rules: [{heads: " + SELF0 + ", transform: net2wider}]"), false)).getMessage();
        assertEquals("rule 1 (heads '" + SELF0 + "'): net2wider on " + SELF0 + " is not possible: net2wider does not"
                + " add attention heads; Graft selects heads (select_units) but never duplicates them", widen);
        String more = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, bert(6, true), SELECT,
                false)).getMessage();
        assertTrue(more.contains("select_units on " + SELF0 + ": the target has 6 heads but the source only 4 (of 8"
                + " rows each)"), more);
        String rows = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, ModelLayout.of(
                SpecParser.parse("s", """
                        input: [10]
                        layers:
                          - {name: embeddings, type: bert_embeddings, vocab_size: 50, hidden: 32, max_positions: 16}
                          - {name: layer, type: bert_layer, heads: 2, head_size: 12, intermediate: 48}
                        """)), plan("rules: [{match: 'layer.**', source: 'encoder.layer.0.$1'},"
                        + " {heads: layer.attention.self, transform: select_units}]"), false)).getMessage();
        assertTrue(rows.contains("is not whole heads of 12 rows"), rows);
        String single = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, bert(2, true),
                plan("rules: [{match: '" + SELF0 + ".query.weight', transform: select_units}]"), false)).getMessage();
        assertEquals("select_units on " + SELF0 + ".query is not possible: its output feeds multi-head attention (move"
                + " whole heads with a rule 'heads: " + SELF0 + "')", single);
    }

    @Test
    void freezingAHeadFreezesItsRowsInQueryKeyValueAndItsOutputColumns() {
        TransferResult r = Transferor.apply(SOURCE, bert(4, true),
                plan("rules: [{heads: " + SELF0 + ", units: {action: freeze, indices: [2]}}]"), false);
        for (String m : List.of("query", "key", "value")) {
            assertEquals(new UnitMask(List.of(2), UnitMask.Action.FREEZE, 0, SIZE),
                    r.frozenUnits().get(SELF0 + "." + m + ".weight"));
            assertEquals(SIZE * 32, row(r, SELF0 + "." + m + ".weight").frozenElements());
            assertEquals(SIZE, row(r, SELF0 + "." + m + ".bias").frozenElements());
            assertEquals("copy, freeze heads [2] of 4 (rule 1)", row(r, SELF0 + "." + m + ".weight").transform());
        }
        assertEquals(new UnitMask(List.of(2), UnitMask.Action.FREEZE, 1, SIZE), r.frozenUnits().get(OUT0));
        assertEquals(32 * SIZE, row(r, OUT0).frozenElements());
        boolean[] cols = r.frozenUnits().get(OUT0).covers(new Dims(32, 32));
        for (int i = 0; i < cols.length; i++) {
            assertEquals(i % 32 >= 16 && i % 32 < 24, cols[i], "element " + i);
        }
        assertFalse(r.frozenUnits().containsKey("encoder.layer.0.attention.output.dense.bias"), "not per head");
        assertFalse(r.frozenUnits().containsKey("encoder.layer.1.attention.self.query.weight"), "another layer");
        for (String n : SOURCE.names()) {
            assertTrue(SOURCE.read(n).contentEquals(r.tensors().get(n)), n + " transferred whole");
        }
    }

    @Test
    void transferringSomeHeadsReinitializesTheOthersWhole() {
        TransferResult r = Transferor.apply(SOURCE, bert(4, true),
                plan("seed: 4\nrules: [{heads: " + SELF0 + ", units: {action: transfer, indices: [0, 3]}}]"), false);
        float[] src = SOURCE.read(SELF0 + ".value.weight").toFloats();
        float[] got = r.tensors().get(SELF0 + ".value.weight").toFloats();
        float[] srcOut = SOURCE.read(OUT0).toFloats();
        float[] gotOut = r.tensors().get(OUT0).toFloats();
        for (int h = 0; h < 4; h++) {
            boolean kept = h == 0 || h == 3;
            for (int i = h * SIZE * 32; i < (h + 1) * SIZE * 32; i++) {
                assertEquals(kept, src[i] == got[i], "value weight element " + i + " of head " + h);
            }
            for (int row = 0; row < 32; row++) {
                for (int c = h * SIZE; c < (h + 1) * SIZE; c++) {
                    assertEquals(kept, srcOut[row * 32 + c] == gotOut[row * 32 + c], "output column " + c);
                }
            }
        }
        assertEquals(2 * SIZE * 32, row(r, SELF0 + ".value.weight").transferred());
        assertEquals(32 * 2 * SIZE, row(r, OUT0).transferred());
        assertEquals("copy, heads [0, 3] of 4 (rule 1)", row(r, SELF0 + ".value.weight").transform());
        assertTrue(r.frozenUnits().isEmpty());
    }

    @Test
    void aTensorsOwnUnitsAndItsHeadsCannotBothBeMasked() {
        String e = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, bert(4, true), plan("""
                rules:
                  - {heads: %s, units: {action: freeze, indices: [1]}}
                  - {match: "%s.key.weight", units: {action: freeze, indices: [0]}}
                """.formatted(SELF0, SELF0)), false)).getMessage();
        assertEquals("target '" + SELF0 + ".key.weight' (rule 2): its units are masked by its rule and its heads by"
                + " rule 1; give one of them", e);
        String range = assertThrows(TransferException.class, () -> Transferor.apply(SOURCE, bert(4, true),
                plan("rules: [{heads: " + SELF0 + ", units: {action: freeze, indices: [4]}}]"), false)).getMessage();
        assertEquals("rule 1 (heads '" + SELF0 + "'): head 4 is out of range (" + SELF0 + " has 4 heads)", range);
    }

    @Test
    void aHeadsMaskLeavesReinitializedTensorsAlone() {
        // the strategy re-initializes layer 0's query: its heads are not masked, the key's are
        TransferResult r = Transferor.apply(SOURCE, bert(4, true), plan("""
                rules:
                  - {match: "%s.query.*", mode: reinit}
                  - {heads: %s, units: {action: freeze, indices: [1]}}
                """.formatted(SELF0, SELF0)), false);
        assertFalse(r.frozenUnits().containsKey(SELF0 + ".query.weight"));
        assertTrue(r.frozenUnits().containsKey(SELF0 + ".key.weight"));
    }

    @Test
    void headsRulesReadWriteAndAreCheckedAgainstTheModel() {
        TransferPlan p = plan("""
                rules:
                  - {heads: "encoder.layer.*.attention.self", transform: select_units}
                  - {heads: "encoder.layer.0.attention.self", units: {action: freeze, indices: [0, 2]}}
                  - {match: "classifier.*", mode: reinit}
                """);
        assertEquals(TransferRule.Scope.HEADS, p.rules().get(0).scope());
        assertEquals(p, PlanCodec.parse("again", PlanCodec.toYaml(p)));
        p.requireEveryRuleMatches(bert(2, true), "p");
        String none = assertThrows(TransferException.class, () -> plan("rules: [{heads: 'x.attention.self',"
                + " transform: select_units}]").requireEveryRuleMatches(bert(2, true), "p.yaml")).getMessage();
        assertEquals("p.yaml: rule 1 (heads 'x.attention.self') names no module with attention heads (such as "
                + SELF0 + ")", none);
        assertTrue(assertThrows(TransferException.class, () -> plan("rules: [{heads: a, mode: frozen}]"))
                .getMessage().contains("a heads rule takes only transform and units, not 'mode'"));
        assertTrue(assertThrows(TransferException.class, () -> plan("rules: [{heads: a, transform: slice_pad}]"))
                .getMessage().contains("transform slice_pad cuts single rows"));
        assertTrue(assertThrows(TransferException.class, () -> plan("rules: [{heads: a}]"))
                .getMessage().contains("a heads rule selects heads (transform: select_units) or masks them (units)"));
        assertTrue(assertThrows(TransferException.class, () -> plan("rules: [{heads: a, match: b, units: {indices:"
                + " [1]}}]")).getMessage().contains("give exactly one of 'match' (a glob), 'regex' or 'heads'"));
    }

    @Test
    void aHeadsGlobNeverMatchesTensorsAndComposesWithAStrategy() {
        // "encoder.**" as heads names every attention module, and no tensor: the tensors keep their rules
        TransferPlan p = plan("rules: [{heads: 'encoder.**', transform: select_units}]");
        TransferResult r = Transferor.apply(SOURCE, bert(2, true), p, false);
        assertEquals("auto", row(r, SELF0 + ".query.weight").origin());
        // a strategy's modes compose with the plan's heads rule, which is kept
        TransferPlan strategy = plan("rules: [{match: 'embeddings.**', mode: frozen},"
                + " {heads: '" + SELF0 + "', units: {action: freeze, indices: [1]}}]");
        TransferPlan composed = PlanComposition.compose(p, strategy, bert(2, true));
        assertEquals(List.of(p.rules().get(0), strategy.rules().get(1)),
                composed.rules().subList(composed.rules().size() - 2, composed.rules().size()), "the plan's first");
        TransferResult c = Transferor.apply(SOURCE, bert(2, true), composed, false);
        assertArrayEquals(IO.read("logits_mean").toFloats(), Models.logits(bert(2, true), c.tensors(),
                IO.read("input")), 1e-4f);
        assertEquals("frozen", row(c, "embeddings.word_embeddings.weight").mode());
    }

    static TransferReport.Row row(TransferResult r, String name) {
        return r.report().rows().stream().filter(x -> x.target().equals(name)).findFirst().orElseThrow();
    }
}
