package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.engine.Engines;
import dev.graft.transfer.Initializer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered layer kind must keep, checked on its own examples: it parses its
 * YAML keys (and rejects others), infers shapes the engine agrees with, declares tensors whose
 * names and shapes are exactly the parameters its DJL build creates, each with a role, a default
 * initializer and a decay flag, and survives spec rewrites. A kind added without examples that
 * pass this fails here.
 */
class LayerKindContractTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Arguments> examples() {
        return LayerKinds.all().stream().flatMap(k -> k.examples().stream().map(e -> Arguments.of(k.keyword(), e)));
    }

    @Test
    void everyKindHasExamplesThatUseEveryKeyItOwns() throws Exception {
        assertFalse(LayerKinds.all().isEmpty());
        for (LayerKind k : LayerKinds.all()) {
            assertTrue(k.keyword().matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), k.keyword());
            assertFalse(k.examples().isEmpty(), k.keyword() + " has no examples");
            Set<String> used = new TreeSet<>();
            for (LayerKind.Example e : k.examples()) {
                JsonNode n = YAML.readTree(e.yaml());
                assertEquals(k.keyword(), n.get("type").textValue(), e.yaml());
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    used.add(it.next());
                }
            }
            used.remove("type");
            assertEquals(new TreeSet<>(k.keys()), used, k.keyword() + ": keys its examples use");
            assertEquals(k, LayerKinds.get(k.keyword()).orElseThrow());
        }
        assertEquals(LayerKinds.keywords().size(), LayerKinds.all().size(), "keywords are unique");
    }

    @Test
    void everyLayerClassIsRegistered() throws Exception {
        Set<Class<?>> parsed = new java.util.HashSet<>();
        for (LayerKind k : LayerKinds.all()) {
            for (LayerKind.Example e : k.examples()) {
                parsed.add(SpecParser.parse("contract", spec(e, e.yaml())).root().layers().get(0).getClass());
            }
        }
        Set<Class<?>> declared = new java.util.HashSet<>();
        java.nio.file.Path dir = java.nio.file.Path.of(LayerSpec.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).resolve("dev/graft/model");
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".class") && !n.contains("$")) {
                    Class<?> c = Class.forName("dev.graft.model." + n.substring(0, n.length() - 6));
                    if (LayerSpec.class.isAssignableFrom(c) && !c.isInterface()) {
                        declared.add(c);
                    }
                }
            }
        }
        assertTrue(declared.size() > 10, declared.toString());
        assertEquals(declared, parsed, "every LayerSpec class is the parse of a registered kind's example");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void parsesInfersAndBuildsWhatItDeclares(String keyword, LayerKind.Example e) {
        ModelSpec spec = SpecParser.parse("contract", spec(e, e.yaml()));
        LayerSpec layer = spec.root().layers().get(0);
        assertEquals(keyword, layer.type());
        assertEquals("x", layer.name());
        assertEquals(layer, layer.withChildren(layer.children()), "rewrites keep the layer");
        ModelLayout layout = ModelLayout.of(spec);
        for (ParamInfo p : layout.params()) {
            assertTrue(p.name().startsWith("x."), p.name());
            assertNotNull(p.init(), p.name());
            assertFalse(p.decayed() && !p.role().trainable(), p.name());
            assertEquals(p.dims().count(), Initializer.DEFAULT.values(p, 1).length, p.name());
            layout.rowOwner(p).ifPresent(u -> assertEquals(u.units(), p.dims().get(0), p.name() + " rows"));
        }
        assertEquals(layout.params().stream().map(ParamInfo::name).toList(),
                layout.groups().stream().flatMap(g -> g.tensors().stream()).toList(), "groups partition the tensors");
        if (layer.layerGroup() && !layout.params().isEmpty()) {
            assertEquals(List.of("x"), layout.groups().stream().map(LayerGroup::name).toList(), "a block is one group");
            assertTrue(layout.groups().get(0).block());
        }
        for (UnitLayer u : layout.units().values()) {
            ParamInfo w = layout.param(u.layer() + ".weight").orElseThrow();
            assertEquals(ParamRole.WEIGHT, w.role());
            assertEquals(u.units(), w.dims().get(0), u.layer() + ": units are the weight's rows");
        }
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(layout, m)) {
            // build checks that every declared tensor has the engine's shape and every engine
            // parameter is declared; here the other direction: the names are the same set
            assertEquals(new TreeSet<>(layout.params().stream().filter(p -> p.role() != ParamRole.NUM_BATCHES_TRACKED)
                    .map(ParamInfo::name).toList()), new TreeSet<>(model.parameters().keySet()));
            assertEquals(layout.params().stream().map(ParamInfo::name).toList(),
                    List.copyOf(model.stateDict().keySet()), "state_dict order");
            // seeded, and 8 samples: with 2 random ones a squeeze layer's few ReLU units were all
            // negative now and then (about one run in 16), and its weights got no gradient
            Engine.getEngine("PyTorch").setRandomSeed(7);
            long[] in = new long[e.input().length + 1];
            in[0] = 8;
            System.arraycopy(e.input(), 0, in, 1, e.input().length);
            NDArray x = m.randomUniform(-1, 1, new Shape(in));
            NDArray y = model.predict(x);
            long[] out = new long[layout.output().rank() + 1];
            out[0] = 8;
            System.arraycopy(layout.output().sizes(), 0, out, 1, layout.output().rank());
            assertArrayEquals(out, y.getShape().getShape(), "inferred output " + Arrays.toString(out));
            // in training every declared trainable tensor is used: it receives a gradient
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray t = model.block().forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(t.mul(m.randomUniform(-1, 1, t.getShape())).sum());
            }
            for (ParamInfo p : layout.params()) {
                if (p.role().trainable()) {
                    NDArray g = model.parameters().get(p.name()).getArray().getGradient();
                    assertEquals(new Shape(p.dims().sizes()), g.getShape(), p.name());
                    assertTrue(g.abs().sum().getFloat() > 0, p.name() + " gets no gradient in training");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void rejectsKeysItDoesNotOwn(String keyword, LayerKind.Example e) {
        String yaml = e.yaml().replaceFirst("\\{", "{zz_unknown: 1, ");
        SpecException x = assertThrows(SpecException.class, () -> SpecParser.parse("contract", spec(e, yaml)));
        assertTrue(x.getMessage().contains("unknown key 'zz_unknown'"), x.getMessage());
    }

    static String spec(LayerKind.Example e, String layer) {
        return "input: " + Arrays.toString(e.input()) + "\nlayers:\n  - " + layer.replaceFirst("\\{", "{name: x, ") + "\n";
    }
}
