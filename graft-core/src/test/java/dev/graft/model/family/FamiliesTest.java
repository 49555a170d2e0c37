package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.Dims;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.model.SpecException;
import dev.graft.model.SpecParser;
import dev.graft.model.SpecWriter;
import dev.graft.testing.Fixtures;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each family is torchvision's network: the same state_dict names, shapes and order (what
 * {@code load_state_dict(strict=True)} needs, both ways), and, with the same deterministic
 * weights, the same eval-mode logits as torchvision 0.14 computed (tools/make_family_fixtures.py).
 */
class FamiliesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String family) throws Exception {
        return JSON.readTree(Fixtures.file("families/family_" + family + ".json").toFile());
    }

    private static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).longValue();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small",
        "efficientnet_b0", "vgg11_bn", "densenet121"})
    void matchesTorchvision(String name) throws Exception {
        JsonNode fx = fixture(name);
        Family family = Families.require(name);
        ModelSpec spec = family.spec(fx.get("num_classes").intValue());
        long[] in = longs(fx.get("input"));
        spec = new ModelSpec(spec.name(), spec.source(), new Dims(Arrays.copyOfRange(in, 1, in.length)),
                spec.root(), spec.head());
        ModelLayout layout = ModelLayout.of(spec);

        // names, shapes, dtypes and order: torchvision's state_dict
        List<String> expected = new ArrayList<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (JsonNode t : fx.get("state_dict")) {
            String n = t.get(0).textValue();
            expected.add(n + " " + Arrays.toString(longs(t.get(1))) + " " + t.get(2).textValue());
            shapes.put(n, longs(t.get(1)));
        }
        List<String> actual = layout.params().stream().map(p -> p.name() + " " + Arrays.toString(p.dims().sizes())
                + " " + (p.role() == ParamRole.NUM_BATCHES_TRACKED ? "int64" : "float32")).toList();
        assertEquals(expected, actual);
        assertEquals(family.head(), layout.head());
        assertTrue(layout.param(family.stem() + ".weight").orElseThrow().dims().get(1) == in[1], "stem");

        // both formulas agree on their first values
        for (Iterator<Map.Entry<String, JsonNode>> it = fx.get("samples").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long[] shape = e.getKey().equals("input") ? in : shapes.get(e.getKey());
            float[] v = FamilyWeights.values(e.getKey(), shape, shapes);
            for (int i = 0; i < e.getValue().size(); i++) {
                assertEquals((float) e.getValue().get(i).doubleValue(), v[i], 0f, e.getKey() + "[" + i + "]");
            }
        }

        long start = System.nanoTime();
        try (NDManager manager = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, manager)) {
            for (ParamInfo p : layout.params()) {
                if (p.role() != ParamRole.NUM_BATCHES_TRACKED) {
                    model.parameters().get(p.name()).getArray()
                            .set(FloatBuffer.wrap(FamilyWeights.values(p.name(), p.dims().sizes(), shapes)));
                }
            }
            NDArray x = manager.create(FamilyWeights.values("input", in, shapes), new Shape(in));
            float[] logits = model.predict(x).toFloatArray();
            JsonNode want = fx.get("logits");
            double worst = 0;
            double worstAbs = 0;
            int k = 0;
            for (JsonNode row : want) {
                for (JsonNode v : row) {
                    double e = v.doubleValue();
                    worst = Math.max(worst, Math.abs(e - logits[k]) / Math.max(1, Math.abs(e)));
                    worstAbs = Math.max(worstAbs, Math.abs(e - logits[k]));
                    k++;
                }
            }
            assertEquals(k, logits.length);
            System.out.printf("%s: max |diff| = %.2e, max |diff| / max(1, |logit|) = %.2e, %d ms%n", name, worstAbs, worst,
                    (System.nanoTime() - start) / 1_000_000);
            assertTrue(worst <= 1e-4, name + ": logits differ from torchvision's by " + worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0",
        "vgg11_bn", "densenet121"})
    void printedSpecParsesBackToTheSameSpec(String name) {
        ModelSpec spec = Families.require(name).spec(7, 1);
        String yaml = SpecWriter.write(spec);
        ModelSpec back = SpecParser.parse(name + ".yaml", yaml);
        assertEquals(spec.root(), back.root());
        assertEquals(spec.head(), back.head());
        assertEquals(spec.input(), back.input());
        assertEquals(ModelLayout.of(spec).params(), ModelLayout.of(back).params());
    }

    @Test
    void efficientNetEndsItsResidualBlocksInTorchvisionsStochasticDepth() {
        String yaml = SpecWriter.write(Families.require("efficientnet_b0").spec(5));
        // torchvision 0.14: features.2.1 has p = 0.2 * 2 / 16; blocks without a residual (features.2.0) apply none
        assertTrue(yaml.contains("{name: stochastic_depth, type: stochasticdepth, p: 0.025}"), yaml);
        assertEquals(9, yaml.split("type: stochasticdepth").length - 1, "one per residual block");
    }

    @Test
    void targetsReadAsNameAndClassCount() {
        assertEquals(3, ModelLayout.of(Families.spec("resnet18:3")).output().get(0));
        assertEquals(1000, ModelLayout.of(Families.spec("resnet18")).output().get(0));
        assertTrue(Families.isFamilyTarget("densenet121:2"));
        assertTrue(!Families.isFamilyTarget("specs/resnet18.yaml"));
        assertThrows(SpecException.class, () -> Families.spec("resnet18:0"));
        SpecException e = assertThrows(SpecException.class, () -> Families.spec("resnet19:2"));
        assertTrue(e.getMessage().contains("resnet18"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Families.require("vgg11_bn").spec(0));
    }

    @Test
    void eachFamilysStemIsTheOneLayerThatReadsTheInputChannels() {
        for (Family f : Families.all()) {
            assertEquals(List.of(f.stem()), ModelLayout.of(f.spec(2, 1)).inputLayers(), f.name());
        }
    }
}
