package dev.graft.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import dev.graft.testing.Models;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferorTest {
    static final MemoryWeightStore CNN = Models.fixture("small_cnn.safetensors");
    static final MemoryWeightStore CNN_IO = Models.fixture("small_cnn.io.safetensors");

    static TransferPlan plan(String yaml) {
        return PlanCodec.parse("test-plan", yaml);
    }

    static ModelLayout spec(String yaml) {
        return ModelLayout.of(SpecParser.parse("test-spec", yaml));
    }

    static MemoryWeightStore store(Map<String, Tensor> tensors) {
        return new MemoryWeightStore(null, tensors, Map.of());
    }

    @Test
    void automaticMatchingCopiesEverythingBitForBitAndKeepsPyTorchsOutputs() {
        ModelLayout layout = Models.example("small-cnn.yaml");
        TransferResult r = Transferor.apply(CNN, layout, TransferPlan.automatic(), false);
        for (String n : CNN.names()) {
            assertTrue(CNN.read(n).contentEquals(r.tensors().get(n)), n);
        }
        assertEquals(r.report().totalElements(), r.report().transferredElements());
        assertTrue(r.report().unusedSource().isEmpty());
        assertTrue(r.report().rows().stream().allMatch(row -> row.origin().equals("auto")));
        assertArrayEquals(CNN_IO.read("output").toFloats(),
                Models.logits(layout, r.tensors(), CNN_IO.read("input")), 1e-5f);
    }

    @Test
    void net2widerPreservesTheFunction() {
        ModelLayout wide = Models.example("small-cnn.yaml",
                "{type: conv2d, out: 64, kernel: 3, padding: 1}", "{type: conv2d, out: 80, kernel: 3, padding: 1}",
                "{type: linear, out: 128}", "{type: linear, out: 160}");
        TransferPlan p = plan("""
                seed: 3
                rules:
                  - {match: features.4.weight, transform: net2wider}
                  - {match: classifier.1.weight, transform: net2wider}
                """);
        TransferResult r = Transferor.apply(CNN, wide, p, false);
        assertEquals(new Dims(80, 32, 3, 3), r.tensors().get("features.4.weight").dims());
        assertEquals(new Dims(160, 80 * 49), r.tensors().get("classifier.1.weight").dims());
        assertEquals(new Dims(5, 160), r.tensors().get("classifier.4.weight").dims());
        assertEquals(r.report().totalElements(), r.report().transferredElements());
        float[] expected = CNN_IO.read("output").toFloats();
        assertArrayEquals(expected, Models.logits(wide, r.tensors(), CNN_IO.read("input")), 1e-5f);
    }

    @Test
    void net2widerFollowsEveryConsumerInTheUnitDag() {
        String spec = """
                input: [3, 5, 5]
                head: fc
                layers:
                  - {name: a, type: conv2d, out: %d, kernel: 3, padding: 1}
                  - {name: bn, type: batchnorm2d}
                  - {name: act, type: relu}
                  - name: mix
                    type: concat
                    layers:
                      - {name: b, type: conv2d, out: 3, kernel: 1}
                      - {name: c, type: conv2d, out: 2, kernel: 3, padding: 1}
                  - {type: globalavgpool}
                  - {type: flatten}
                  - {name: fc, type: linear, out: 4}
                """;
        ModelLayout narrow = spec(spec.formatted(4));
        ModelLayout wide = spec(spec.formatted(7));
        assertEquals(List.of("mix.b", "mix.c"), wide.units().get("a").consumers().stream()
                .map(dev.graft.model.UnitLayer.Consumer::layer).toList(), "one producer, two consumers");
        Map<String, Tensor> source = Transferor.apply(store(Map.of()), narrow, plan("seed: 5\nrules: []"), true)
                .tensors();
        TransferResult r = Transferor.apply(store(source), wide,
                plan("seed: 3\nrules: [{match: a.weight, transform: net2wider}]"), false);
        assertEquals(new Dims(3, 7, 1, 1), r.tensors().get("mix.b.weight").dims());
        assertEquals(new Dims(2, 7, 3, 3), r.tensors().get("mix.c.weight").dims());
        float[] x = new float[2 * 3 * 5 * 5];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Tensor input = Tensor.ofFloats(new Dims(2, 3, 5, 5), x);
        assertArrayEquals(Models.logits(narrow, source, input), Models.logits(wide, r.tensors(), input), 1e-5f);
    }

    @Test
    void selectUnitsKeepsTheStrongestUnitsAndTheirDownstreamColumns() {
        // Make 16 channels of features.4 weak (small L1) and cut them off downstream: pruning
        // exactly those must leave the network's function unchanged.
        Map<String, Tensor> src = new LinkedHashMap<>(CNN.tensors());
        int[] weak = {1, 5, 6, 9, 14, 20, 21, 30, 33, 38, 41, 47, 50, 55, 60, 63};
        float[] w = src.get("features.4.weight").toFloats();
        float[] c = src.get("classifier.1.weight").toFloats();
        for (int ch : weak) {
            for (int i = 0; i < 32 * 9; i++) {
                w[ch * 32 * 9 + i] *= 1e-3f;
            }
            for (int row = 0; row < 128; row++) {
                for (int k = 0; k < 49; k++) {
                    c[row * 3136 + ch * 49 + k] = 0;
                }
            }
        }
        src.put("features.4.weight", Tensor.ofFloats(new Dims(64, 32, 3, 3), w));
        src.put("classifier.1.weight", Tensor.ofFloats(new Dims(128, 3136), c));
        ModelLayout full = Models.example("small-cnn.yaml");
        ModelLayout narrow = Models.example("small-cnn-target.yaml");
        TransferPlan p = plan("""
                rules:
                  - {match: features.4.weight, transform: select_units}
                  - {match: "classifier.4.*", mode: reinit}
                """);
        TransferResult r = Transferor.apply(store(src), narrow, p, false);
        // the kept channels are the 48 strong ones, in order
        float[] kept = r.tensors().get("features.4.weight").toFloats();
        float[] runningMean = src.get("features.5.running_mean").toFloats();
        float[] keptMean = r.tensors().get("features.5.running_mean").toFloats();
        int j = 0;
        for (int ch = 0; ch < 64; ch++) {
            if (java.util.Arrays.binarySearch(weak, ch) >= 0) {
                continue;
            }
            assertEquals(w[ch * 288], kept[j * 288], 0f, "channel " + ch);
            assertEquals(runningMean[ch], keptMean[j], 0f, "BatchNorm follows, channel " + ch);
            j++;
        }
        assertEquals(48, j);
        // with the original head, the narrowed network computes what the full one does
        Map<String, Tensor> state = new LinkedHashMap<>(r.tensors());
        state.put("classifier.4.weight", src.get("classifier.4.weight"));
        state.put("classifier.4.bias", src.get("classifier.4.bias"));
        float[] expected = Models.logits(full, src, CNN_IO.read("input"));
        assertArrayEquals(expected, Models.logits(narrow, state, CNN_IO.read("input")), 1e-5f);
    }

    @Test
    void adaptInputChannelsSumFoldsRgbIntoGray() {
        MemoryWeightStore resnet = Models.fixture("small_resnet.safetensors");
        ModelLayout rgb = Models.example("small-resnet.yaml");
        ModelLayout gray = Models.example("small-resnet.yaml", "input: [3, 16, 16]", "input: [1, 16, 16]");
        TransferResult r = Transferor.apply(resnet, gray,
                plan("rules: [{match: stem.0.weight, transform: {type: adapt_input_channels, mode: sum}}]"), false);
        float[] x = new float[2 * 16 * 16];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] x3 = new float[2 * 3 * 256];
        for (int n = 0; n < 2; n++) {
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(x, n * 256, x3, (n * 3 + ch) * 256, 256);
            }
        }
        float[] expected = Models.logits(rgb, resnet.tensors(), Tensor.ofFloats(new Dims(2, 3, 16, 16), x3));
        float[] actual = Models.logits(gray, r.tensors(), Tensor.ofFloats(new Dims(2, 1, 16, 16), x));
        assertArrayEquals(expected, actual, 1e-5f);
        assertTrue(r.report().rows().get(0).transform().contains("adapt_input_channels sum 3->1"));
    }

    @Test
    void theInputLayerAdaptsItsChannelsWithoutARuleAsAnExplicitSumWould() {
        MemoryWeightStore resnet = Models.fixture("small_resnet.safetensors");
        ModelLayout gray = Models.example("small-resnet.yaml", "input: [3, 16, 16]", "input: [1, 16, 16]");
        assertEquals(List.of("stem.0"), gray.inputLayers());
        TransferResult auto = Transferor.apply(resnet, gray, TransferPlan.automatic(), false);
        TransferResult sum = Transferor.apply(resnet, gray,
                plan("rules: [{match: stem.0.weight, transform: {type: adapt_input_channels, mode: sum}}]"), false);
        assertArrayEquals(sum.tensors().get("stem.0.weight").toFloats(), auto.tensors().get("stem.0.weight").toFloats());
        assertTrue(auto.report().rows().get(0).transform().contains("adapt_input_channels auto 3->1 (input layer)"),
                auto.report().rows().get(0).transform());
    }

    @Test
    void onlyTheInputLayerIsAdaptedAndAFlattenedInputIsNot() {
        // a 3-channel source for a 1-channel MLP: its first linear reads C*H*W columns, not channels
        ModelLayout mlp3 = spec("input: [3, 2, 2]\nlayers: [{type: flatten}, {type: linear, out: 2}]");
        ModelLayout mlp1 = spec("input: [1, 2, 2]\nlayers: [{type: flatten}, {type: linear, out: 2}]");
        assertEquals(List.of(), mlp1.inputLayers());
        MemoryWeightStore src = store(Map.of("1.weight", Tensor.ofFloats(new Dims(2, 12), new float[24]),
                "1.bias", Tensor.ofFloats(new Dims(2), new float[2])));
        assertEquals(12, mlp3.param("1.weight").orElseThrow().dims().get(1));
        TransferException e = assertThrows(TransferException.class,
                () -> Transferor.apply(src, mlp1, TransferPlan.automatic(), false));
        assertTrue(e.getMessage().contains("differs from source"), e.getMessage());
        // a later convolution whose input channels differ is a mismatch, never adapted
        ModelLayout narrow = Models.example("small-cnn.yaml", "out: 32", "out: 16");
        TransferPlan reinitFirst = plan("rules: [{regex: 'features\\.[01]\\..*', mode: reinit}]");
        e = assertThrows(TransferException.class, () -> Transferor.apply(CNN, narrow, reinitFirst, false));
        assertTrue(e.getMessage().contains("features.4.weight") && e.getMessage().contains("differs from source"),
                e.getMessage());
    }

    @Test
    void adaptInputChannelsRepeatSpreadsGrayOverRgb() {
        ModelLayout gray = Models.example("small-cnn.yaml");
        ModelLayout rgb = Models.example("small-cnn.yaml", "input: [1, 28, 28]", "input: [3, 28, 28]");
        TransferResult r = Transferor.apply(CNN, rgb,
                plan("rules: [{match: features.0.weight, transform: adapt_input_channels}]"), false);
        float[] x = CNN_IO.read("input").toFloats();
        float[] x3 = new float[3 * x.length];
        for (int n = 0; n < 3; n++) {
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(x, n * 784, x3, (n * 3 + ch) * 784, 784);
            }
        }
        float[] expected = Models.logits(gray, CNN.tensors(), CNN_IO.read("input"));
        float[] actual = Models.logits(rgb, r.tensors(), Tensor.ofFloats(new Dims(3, 3, 28, 28), x3));
        assertArrayEquals(expected, actual, 1e-4f);
        float[] w = CNN.read("features.0.weight").toFloats();
        float[] w3 = r.tensors().get("features.0.weight").toFloats();
        assertEquals(w[0] / 3, w3[0], 1e-7f);
        assertEquals(w[0] / 3, w3[9], 1e-7f);
    }

    static final String TINY = """
            name: tiny
            input: [3]
            layers:
              - {name: fc, type: linear, out: 2}
            """;

    @Test
    void slicePadCopiesTheOverlapAndKeepsTheInitializerElsewhere() {
        float[] src = {1, 2, 3, 4, 5, 6};
        MemoryWeightStore s = store(Map.of("fc.weight", Tensor.ofFloats(new Dims(3, 2), src),
                "fc.bias", Tensor.ofFloats(new Dims(3), new float[] {7, 8, 9})));
        ModelLayout layout = spec(TINY);
        TransferResult r = Transferor.apply(s, layout, plan("seed: 11\nrules: [{match: 'fc.*', transform: slice_pad}]"), false);
        ParamInfo wInfo = layout.param("fc.weight").orElseThrow();
        float[] init = Initializer.DEFAULT.values(wInfo, 11);
        float[] w = r.tensors().get("fc.weight").toFloats();
        assertArrayEquals(new float[] {1, 2, init[2], 3, 4, init[5]}, w);
        assertArrayEquals(new float[] {7, 8}, r.tensors().get("fc.bias").toFloats());
        TransferReport.Row row = r.report().rows().get(0);
        assertEquals(4, row.transferred());
        assertEquals(6, row.total());
        double bound = 1 / Math.sqrt(3);
        assertTrue(Math.abs(init[2]) <= bound && Math.abs(init[5]) <= bound, "PyTorch's default init range");
    }

    @Test
    void unitMasksTransferOrFreezeChosenUnits() {
        MemoryWeightStore s = store(Map.of("fc.weight", Tensor.ofFloats(new Dims(2, 3), new float[] {1, 2, 3, 4, 5, 6}),
                "fc.bias", Tensor.ofFloats(new Dims(2), new float[] {7, 8})));
        TransferResult transfer = Transferor.apply(s, spec(TINY),
                plan("rules: [{match: fc.weight, units: {action: transfer, indices: [1]}}]"), false);
        float[] w = transfer.tensors().get("fc.weight").toFloats();
        assertArrayEquals(new float[] {4, 5, 6}, java.util.Arrays.copyOfRange(w, 3, 6));
        assertTrue(w[0] != 1 && w[1] != 2, "unit 0 keeps its initializer");
        assertEquals(3, transfer.report().rows().get(0).transferred());
        assertTrue(transfer.frozenUnits().isEmpty());

        TransferResult freeze = Transferor.apply(s, spec(TINY),
                plan("rules: [{match: fc.weight, lr: 0.1, units: {action: freeze, range: '0:1'}}]"), false);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, freeze.tensors().get("fc.weight").toFloats());
        assertEquals(List.of(0), freeze.frozenUnits().get("fc.weight").units());
        assertEquals(3, freeze.report().rows().get(0).frozenElements());
        assertEquals(0.1, freeze.modes().get("fc.weight").lrMultiplier());

        TransferResult both = Transferor.apply(s, spec(TINY),
                plan("rules: [{match: fc.weight, units: {action: transfer_freeze, indices: [1]}}]"), false);
        float[] wb = both.tensors().get("fc.weight").toFloats();
        assertArrayEquals(new float[] {4, 5, 6}, java.util.Arrays.copyOfRange(wb, 3, 6));
        assertArrayEquals(java.util.Arrays.copyOfRange(w, 0, 3), java.util.Arrays.copyOfRange(wb, 0, 3),
                "unit 0 keeps the same initializer as with transfer alone");
        assertEquals(List.of(1), both.frozenUnits().get("fc.weight").units());
        assertEquals(3, both.report().rows().get(0).transferred());
        assertEquals(3, both.report().rows().get(0).frozenElements());

        TransferException e = assertThrows(TransferException.class, () -> Transferor.apply(s, spec(TINY),
                plan("rules: [{match: fc.weight, units: {action: transfer, indices: [5]}}]"), false));
        assertTrue(e.getMessage().contains("unit 5 is out of range"), e.getMessage());
    }

    @Test
    void strictByDefaultExplicitWithAllowMissing() {
        MemoryWeightStore s = store(Map.of("fc.weight", Tensor.ofFloats(new Dims(2, 4), new float[8]),
                "other", Tensor.ofFloats(new Dims(1), new float[1])));
        TransferException e = assertThrows(TransferException.class,
                () -> Transferor.apply(s, spec(TINY), TransferPlan.automatic(), false));
        assertTrue(e.getMessage().contains("fc.bias") && e.getMessage().contains("re-initialize them"), e.getMessage());

        MemoryWeightStore withBias = store(Map.of("fc.weight", Tensor.ofFloats(new Dims(2, 4), new float[8]),
                "fc.bias", Tensor.ofFloats(new Dims(2), new float[2])));
        TransferException shape = assertThrows(TransferException.class,
                () -> Transferor.apply(withBias, spec(TINY), TransferPlan.automatic(), false));
        assertTrue(shape.getMessage().contains("'fc.weight'") && shape.getMessage().contains("[2, 3] differs"),
                shape.getMessage());

        TransferResult r = Transferor.apply(s, spec(TINY), TransferPlan.automatic(), true);
        assertEquals("auto", r.report().rows().get(0).origin());
        assertEquals(0, r.report().rows().get(0).transferred(), "shape mismatch is reported, not copied");
        assertTrue(r.report().rows().get(0).transform().contains("kept initializer"));
        assertEquals("missing", r.report().rows().get(1).origin());
        assertEquals(List.of("other"), r.report().unusedSource());
    }

    /**
     * Real checkpoints (older PyTorch, converters) often lack {@code num_batches_tracked}; PyTorch's
     * strict {@code load_state_dict} starts it at 0. Before, the whole transfer was refused.
     */
    @Test
    void aMissingBatchNormCounterIsFilledWithZeroAndReportedWhileAnyOtherMissingTensorStaysStrict() {
        Map<String, Tensor> lacking = new LinkedHashMap<>();
        CNN.names().stream().filter(n -> !n.endsWith("num_batches_tracked")).forEach(n -> lacking.put(n, CNN.read(n)));
        ModelLayout layout = Models.example("small-cnn.yaml");
        for (TransferPlan plan : List.of(TransferPlan.automatic(),
                plan("rules: [{regex: '(.*)', source: '$1', mode: frozen}]"))) {
            TransferResult r = Transferor.apply(store(lacking), layout, plan, false);
            for (String n : List.of("features.1.num_batches_tracked", "features.5.num_batches_tracked")) {
                Tensor t = r.tensors().get(n);
                assertEquals(DType.I64, t.dtype());
                assertEquals(0L, t.data().getLong(0));
                TransferReport.Row row = r.report().rows().stream().filter(x -> x.target().equals(n)).findFirst().orElseThrow();
                assertEquals("filled", row.origin());
                assertEquals(0, row.transferred());
            }
            assertTrue(CNN.read("features.1.running_var").contentEquals(r.tensors().get("features.1.running_var")));
            assertArrayEquals(CNN_IO.read("output").toFloats(),
                    Models.logits(layout, r.tensors(), CNN_IO.read("input")), 1e-5f);
        }
        lacking.remove("features.1.running_var");
        TransferException e = assertThrows(TransferException.class,
                () -> Transferor.apply(store(lacking), layout, TransferPlan.automatic(), false));
        assertTrue(e.getMessage().contains("features.1.running_var") && !e.getMessage().contains("num_batches"),
                e.getMessage());
    }

    @Test
    void rulesRenameSourcesWithCapturedGroups() {
        MemoryWeightStore s = store(Map.of("encoder.fc.weight", Tensor.ofFloats(new Dims(2, 3), new float[] {1, 2, 3, 4, 5, 6}),
                "encoder.fc.bias", Tensor.ofFloats(new Dims(2), new float[] {7, 8})));
        TransferResult r = Transferor.apply(s, spec(TINY),
                plan("rules: [{regex: 'fc\\.(weight|bias)', source: 'encoder.fc.$1', mode: frozen}]"), false);
        assertArrayEquals(new float[] {7, 8}, r.tensors().get("fc.bias").toFloats());
        assertEquals("encoder.fc.weight", r.report().rows().get(0).source().orElseThrow());
        assertEquals("frozen", r.report().rows().get(0).mode());
        TransferResult g = Transferor.apply(s, spec(TINY),
                plan("rules: [{match: 'fc.*', source: 'encoder.fc.$1'}]"), false);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, g.tensors().get("fc.weight").toFloats());
    }

    @Test
    void applyingAPlanIsDeterministic() {
        ModelLayout narrow = Models.example("small-cnn-target.yaml");
        TransferPlan p = PlanCodec.read(dev.graft.testing.Fixtures.example("plans/fine-grained.yaml"));
        TransferResult a = Transferor.apply(CNN, narrow, p, false);
        TransferResult b = Transferor.apply(CNN, narrow, p, false);
        for (String n : a.tensors().keySet()) {
            assertTrue(a.tensors().get(n).contentEquals(b.tensors().get(n)), n);
        }
        TransferPlan other = new TransferPlan(p.rules(), p.autoMatch(), p.seed() + 1);
        TransferResult c = Transferor.apply(CNN, narrow, other, false);
        assertTrue(!a.tensors().get("classifier.4.weight").contentEquals(c.tensors().get("classifier.4.weight")),
                "the seed drives re-initialization");
        assertEquals(a.report(), b.report());
    }

    @Test
    void unitSurgeryAcrossAResidualAdditionIsRefused() {
        MemoryWeightStore resnet = Models.fixture("small_resnet.safetensors");
        ModelLayout narrow = Models.example("small-resnet.yaml", "groups: 4, bias: false}", "groups: 2, bias: false}");
        TransferException e = assertThrows(TransferException.class, () -> Transferor.apply(resnet, narrow,
                plan("rules: [{match: layer1.body.0.weight, transform: select_units}]"), false));
        assertTrue(e.getMessage().contains("grouped convolution"), e.getMessage());
        TransferException e2 = assertThrows(TransferException.class, () -> Transferor.apply(resnet,
                Models.example("small-resnet.yaml"),
                plan("rules: [{match: layer2.body.3.weight, transform: select_units}]"), false));
        assertTrue(e2.getMessage().contains("residual addition"), e2.getMessage());
    }

    @Test
    void reinitializersHaveTheirDistributions() {
        ParamInfo p = new ParamInfo("w", new Dims(200, 300), dev.graft.model.ParamRole.WEIGHT, "l", "linear", 300,
                dev.graft.model.ParamInit.FAN_IN_UNIFORM, true);
        float[] zeros = new Initializer(Initializer.Kind.ZEROS, 0).values(p, 1);
        assertTrue(allEqual(zeros, 0f));
        assertEquals(0.05, std(new Initializer(Initializer.Kind.NORMAL, 0.05).values(p, 1)), 0.002);
        assertEquals(Math.sqrt(2.0 / 300), std(new Initializer(Initializer.Kind.KAIMING, 0).values(p, 1)), 0.002);
        float[] xavier = new Initializer(Initializer.Kind.XAVIER, 0).values(p, 1);
        double bound = Math.sqrt(6.0 / 500);
        for (float v : xavier) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertEquals(bound / Math.sqrt(3), std(xavier), 0.002);
        ParamInfo bnVar = new ParamInfo("bn.running_var", new Dims(4), dev.graft.model.ParamRole.RUNNING_VAR, "bn",
                "batchnorm2d", 0, dev.graft.model.ParamInit.ONES, false);
        assertTrue(allEqual(Initializer.DEFAULT.values(bnVar, 1), 1f));
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    private static double std(float[] a) {
        double mean = 0;
        for (float x : a) {
            mean += x;
        }
        mean /= a.length;
        double s = 0;
        for (float x : a) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / a.length);
    }
}
