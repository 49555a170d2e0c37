package dev.graft.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * FFN neurons of a {@code bert_layer} as units: {@code intermediate.dense}'s output units, with
 * {@code output.dense}'s input columns following. The source is the PyTorch BERT fixture
 * (tools/make_bert_fixture.py: H 64, 4 heads, intermediate 128, two layers); the truths are the
 * fixture's own outputs (Net2Net keeps the function), hand-made weak neurons (select_units keeps
 * exactly the others, and with the weak ones' output columns zeroed the function is unchanged) and
 * the source's rows and columns themselves.
 */
class BertFfnUnitsTest {
    /** The fixture's tensors less its pooler, which mean pooling does not use. */
    static final MemoryWeightStore BERT = withoutPooler(Models.fixture("bert/bert.safetensors"));
    static final MemoryWeightStore IO = Models.fixture("bert/bert.io.safetensors");
    static final String I0 = "encoder.layer.0.intermediate.dense.";
    static final String O0 = "encoder.layer.0.output.dense.";

    /** The fixture's encoder with mean pooling and its classifier; layer 0's FFN has {@code ffn} neurons. */
    static ModelLayout bert(int ffn) {
        return ModelLayout.of(SpecParser.parse("bert-ffn", """
                input: [12]
                head: classifier
                layers:
                  - {name: embeddings, type: bert_embeddings, vocab_size: 100, hidden: 64, max_positions: 32}
                  - name: encoder
                    type: sequential
                    layers:
                      - name: layer
                        type: sequential
                        layers:
                          - {type: bert_layer, heads: 4, intermediate: %d}
                          - {type: bert_layer, heads: 4, intermediate: 128}
                  - {name: pool, type: token_pool}
                  - {name: classifier, type: linear, out: 3}
                """.formatted(ffn)));
    }

    static TransferPlan plan(String yaml) {
        return PlanCodec.parse("test-plan", yaml);
    }

    @Test
    void theFixtureModelReproducesPyTorchsLogits() {
        // the base every other test stands on: the spec above is the fixture's network
        assertArrayEquals(IO.read("logits_mean").toFloats(),
                Models.logits(bert(128), BERT.tensors(), IO.read("input")), 1e-4f);
    }

    @Test
    void net2widerOnTheFfnKeepsTheFunction() {
        ModelLayout wide = bert(200);
        TransferResult r = Transferor.apply(BERT, wide,
                plan("seed: 7\nrules: [{match: " + I0 + "weight, transform: net2wider}]"), false);
        assertEquals(new Dims(200, 64), r.tensors().get(I0 + "weight").dims());
        assertEquals(new Dims(200), r.tensors().get(I0 + "bias").dims());
        assertEquals(new Dims(64, 200), r.tensors().get(O0 + "weight").dims());
        assertEquals(r.report().totalElements(), r.report().transferredElements());
        float[] source = Models.logits(bert(128), BERT.tensors(), IO.read("input"));
        assertArrayEquals(source, Models.logits(wide, r.tensors(), IO.read("input")), 1e-5f);
        assertTrue(row(r, I0 + "weight").transform().startsWith("net2wider 128->200"),
                row(r, I0 + "weight").transform());
        assertEquals("net2wider 128->200", row(r, I0 + "bias").transform(), "the layer's own bias");
        assertEquals("copy, inputs follow " + I0.substring(0, I0.length() - 1), row(r, O0 + "weight").transform());
    }

    @Test
    void selectUnitsKeepsTheStrongestNeuronsRowsAndColumns() {
        // 32 neurons made weak (small L1) and cut off downstream: keeping the other 96 must keep
        // exactly their rows and columns, and the function
        Map<String, Tensor> src = new LinkedHashMap<>(BERT.tensors());
        float[] w = src.get(I0 + "weight").toFloats();
        float[] out = src.get(O0 + "weight").toFloats();
        List<Integer> weak = new java.util.ArrayList<>();
        for (int n = 0; n < 128; n++) {
            if (n % 4 == 1) {
                weak.add(n);
                for (int i = 0; i < 64; i++) {
                    w[n * 64 + i] *= 1e-3f;
                }
                for (int row = 0; row < 64; row++) {
                    out[row * 128 + n] = 0;
                }
            }
        }
        src.put(I0 + "weight", Tensor.ofFloats(new Dims(128, 64), w));
        src.put(O0 + "weight", Tensor.ofFloats(new Dims(64, 128), out));
        TransferResult r = Transferor.apply(new MemoryWeightStore(null, src, Map.of()), bert(96),
                plan("rules: [{match: " + I0 + "weight, transform: select_units}]"), false);
        float[] kw = r.tensors().get(I0 + "weight").toFloats();
        float[] kb = r.tensors().get(I0 + "bias").toFloats();
        float[] ko = r.tensors().get(O0 + "weight").toFloats();
        float[] b = src.get(I0 + "bias").toFloats();
        int j = 0;
        for (int n = 0; n < 128; n++) {
            if (weak.contains(n)) {
                continue;
            }
            assertArrayEquals(Arrays.copyOfRange(w, n * 64, n * 64 + 64), Arrays.copyOfRange(kw, j * 64, j * 64 + 64),
                    0f, "row of neuron " + n);
            assertEquals(b[n], kb[j], 0f, "bias of neuron " + n);
            for (int row = 0; row < 64; row++) {
                assertEquals(out[row * 128 + n], ko[row * 96 + j], 0f, "output column of neuron " + n);
            }
            j++;
        }
        assertEquals(96, j);
        assertArrayEquals(Models.logits(bert(128), src, IO.read("input")),
                Models.logits(bert(96), r.tensors(), IO.read("input")), 1e-5f);
        assertEquals("select_units 96/128 by L1", row(r, I0 + "weight").transform());
    }

    @Test
    void neuronMasksFreezeOrReinitializeRowsOfTheIntermediateLayer() {
        TransferResult freeze = Transferor.apply(BERT, bert(128), plan("""
                rules:
                  - {match: "%s*", units: {action: freeze, indices: [3, 70]}}
                """.formatted(I0)), false);
        assertEquals(List.of(3, 70), freeze.frozenUnits().get(I0 + "weight").units());
        assertEquals(List.of(3, 70), freeze.frozenUnits().get(I0 + "bias").units());
        assertEquals(2 * 64, row(freeze, I0 + "weight").frozenElements());
        assertEquals(2, row(freeze, I0 + "bias").frozenElements());
        assertTrue(BERT.read(I0 + "weight").contentEquals(freeze.tensors().get(I0 + "weight")), "all transferred");

        TransferResult fresh = Transferor.apply(BERT, bert(128), plan("""
                rules:
                  - {match: "%s*", units: {action: transfer, range: "0:64"}}
                """.formatted(I0)), false);
        float[] src = BERT.read(I0 + "weight").toFloats();
        float[] got = fresh.tensors().get(I0 + "weight").toFloats();
        assertArrayEquals(Arrays.copyOfRange(src, 0, 64 * 64), Arrays.copyOfRange(got, 0, 64 * 64), 0f);
        for (int n = 64; n < 128; n++) {
            assertTrue(!Arrays.equals(Arrays.copyOfRange(src, n * 64, n * 64 + 64),
                    Arrays.copyOfRange(got, n * 64, n * 64 + 64)), "neuron " + n + " re-initialized");
        }
        assertEquals(64 * 64, row(fresh, I0 + "weight").transferred());
        assertTrue(fresh.frozenUnits().isEmpty());
    }

    static MemoryWeightStore withoutPooler(MemoryWeightStore all) {
        Map<String, Tensor> t = new LinkedHashMap<>(all.tensors());
        t.keySet().removeIf(n -> n.startsWith("pooler."));
        return new MemoryWeightStore(null, t, Map.of());
    }

    static TransferReport.Row row(TransferResult r, String name) {
        return r.report().rows().stream().filter(x -> x.target().equals(name)).findFirst().orElseThrow();
    }
}
