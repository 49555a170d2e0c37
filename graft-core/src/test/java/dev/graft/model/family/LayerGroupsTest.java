package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import dev.graft.model.UnitLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layer groups over every registered family and every shipped spec: they partition the tensors,
 * and, for every model without block layers, they are exactly the groups per-layer decisions used
 * before groups existed (one per linear or convolution layer, with its BatchNorm; a tensor of
 * neither joined the group before it in layer-wise decay), so those models train as they did.
 */
class LayerGroupsTest {
    static final Path SPECS = Path.of("..", "examples", "specs");

    static Stream<Arguments> imageModels() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Family f : Families.all()) {
            out.add(Arguments.of(f.name(), f.spec(10)));
        }
        try (Stream<Path> files = Files.list(SPECS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(Arguments.of(p.getFileName().toString(), SpecParser.parse(p.toString(), Files.readString(p))));
            }
        }
        assertTrue(out.size() >= Families.all().size() + 9, "every family and shipped spec");
        return out.stream();
    }

    static Stream<Arguments> allModels() throws IOException {
        Stream<Arguments> bert = Stream.of(BertFamily.Pooling.values()).map(p -> Arguments.of("bert " + p.keyword(),
                BertFamily.spec(BERT, 3, p, 6, "bert")));
        return Stream.concat(imageModels(), bert);
    }

    /** 3 encoder layers of hidden size 8 (2 heads, feed-forward 16), vocabulary 30. */
    static final BertConfig BERT = new BertConfig(8, 3, 2, 16, 30, 10, 2, 1e-12, 0.1, 0.1, 0);

    @ParameterizedTest(name = "{0}")
    @MethodSource("allModels")
    void groupsPartitionTheTensorsInOrder(String name, ModelSpec spec) {
        ModelLayout l = ModelLayout.of(spec);
        List<String> inGroups = l.groups().stream().flatMap(g -> g.tensors().stream()).toList();
        assertEquals(l.params().stream().map(ParamInfo::name).toList(), inGroups,
                "each tensor in exactly one group, groups in state_dict order");
        assertEquals(List.copyOf(l.units().keySet()), l.groups().stream().flatMap(g -> g.units().stream()).toList(),
                "each unit layer in exactly one group");
        assertEquals(l.groups().size(), l.groups().stream().map(LayerGroup::name).distinct().count(), "unique names");
        for (LayerGroup g : l.groups()) {
            assertFalse(g.tensors().isEmpty(), g.name());
            assertEquals(g.layers(), g.tensors().stream().map(t -> l.param(t).orElseThrow().layer()).distinct()
                    .toList(), g.name());
        }
        assertTrue(l.headGroup().units().contains(l.head()));
        assertEquals(l.groups().get(l.groups().size() - 1), l.headGroup(), "the head's group is the top one");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageModels")
    void withoutBlocksTheGroupsAreTheUnitLayersWithTheirFollowers(String name, ModelSpec spec) {
        ModelLayout l = ModelLayout.of(spec);
        assertEquals(List.copyOf(l.units().keySet()), l.groups().stream().map(LayerGroup::name).toList());
        Map<String, LayerGroup> groupOf = l.groupOfTensor();
        for (LayerGroup g : l.groups()) {
            assertFalse(g.block(), g.name());
            assertEquals(List.of(g.name()), g.units());
            assertEquals(Optional.of(g.name()), g.unitLayer());
            UnitLayer u = l.units().get(g.name());
            // what partial and the search decided per layer: the unit layer and its BatchNorm
            for (ParamInfo p : l.params()) {
                if (p.layer().equals(u.layer()) || u.followers().contains(p.layer())) {
                    assertEquals(g, groupOf.get(p.name()), p.name());
                }
            }
        }
        // what layer-wise decay decided for any other tensor: the group of the unit layer before it
        String last = null;
        for (ParamInfo p : l.params()) {
            if (l.units().containsKey(p.layer())) {
                last = p.layer();
            }
            String expected = last == null ? l.groups().get(0).name() : last;
            assertEquals(expected, groupOf.get(p.name()).name(), p.name());
        }
    }

    /** The shipped models with tensors that belong to no unit layer, and where those go (by hand). */
    @Test
    void tensorsOfNoUnitLayerJoinTheGroupBeforeThem() throws IOException {
        ModelLayout mlp = ModelLayout.of(SpecParser.parse("mlp", Files.readString(SPECS.resolve("mlp.yaml"))));
        // fc1, bn, act1, drop, fc2, norm (a LayerNorm), ...: the LayerNorm goes with fc2
        assertEquals(List.of("fc2.weight", "fc2.bias", "norm.weight", "norm.bias"),
                mlp.group("fc2").orElseThrow().tensors());
        assertEquals(List.of("fc2.*", "norm.*"), mlp.group("fc2").orElseThrow().globs());
        assertEquals(List.of("fc1.*", "bn.*"), mlp.group("fc1").orElseThrow().globs());
        ModelLayout dense = ModelLayout.of(Families.require("densenet121").spec(10));
        // a dense layer's first BatchNorm normalizes the concatenation of every earlier output
        assertEquals("features.denseblock1.denselayer1.conv2",
                dense.groupOfTensor().get("features.denseblock1.denselayer2.norm1.weight").name());
        assertEquals("features.denseblock4.denselayer16.conv2",
                dense.groupOfTensor().get("features.norm5.bias").name());
    }

    @Test
    void bertGroupsAreTheEmbeddingsEachEncoderLayerThePoolerAndTheClassifier() {
        ModelLayout pooled = ModelLayout.of(BertFamily.spec(BERT, 3, BertFamily.Pooling.POOLER, 6, "bert"));
        assertEquals(List.of("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "pooler",
                "classifier"), pooled.groups().stream().map(LayerGroup::name).toList());
        ModelLayout mean = ModelLayout.of(BertFamily.spec(BERT, 3, BertFamily.Pooling.MEAN, 6, "bert"));
        assertEquals(List.of("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "classifier"),
                mean.groups().stream().map(LayerGroup::name).toList());

        LayerGroup emb = mean.group("embeddings").orElseThrow();
        assertTrue(emb.block());
        assertEquals(List.of("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"),
                emb.tensors());
        assertEquals(List.of(), emb.units());
        assertEquals(List.of("embeddings.**"), emb.globs());
        assertEquals("embeddings", emb.row("embeddings.LayerNorm"));

        LayerGroup layer1 = mean.group("encoder.layer.1").orElseThrow();
        String p = "encoder.layer.1.";
        List<String> linears = List.of("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "intermediate.dense", "output.dense");
        assertEquals(linears.stream().map(s -> p + s).toList(), layer1.units());
        // 6 linear layers (weight and bias) and 2 LayerNorms (weight and bias)
        assertEquals(16, layer1.tensors().size());
        assertTrue(layer1.tensors().containsAll(List.of(p + "attention.output.LayerNorm.weight",
                p + "output.LayerNorm.bias")));
        assertEquals(Optional.empty(), layer1.unitLayer(), "a block takes no share of units");
        assertEquals(List.of("encoder.layer.1.**"), layer1.globs());
        assertEquals("encoder.layer.1", layer1.row(p + "intermediate.dense"));

        LayerGroup pooler = pooled.group("pooler").orElseThrow();
        assertEquals(List.of("pooler.dense.weight", "pooler.dense.bias"), pooler.tensors());
        assertEquals(List.of("pooler.dense"), pooler.units());
        LayerGroup head = mean.headGroup();
        assertEquals(new LayerGroup("classifier", false, List.of("classifier"),
                List.of("classifier.weight", "classifier.bias"), List.of("classifier")), head);
        assertEquals(List.of("classifier.*"), head.globs());
    }

    @Test
    void blocksInsideASequentialAreGroupsAndATensorAfterOneJoinsIt() {
        // a sequential of encoder layers is no block; its layers are
        ModelLayout l = ModelLayout.of(SpecParser.parse("nested", """
                input: [6]
                layers:
                  - {name: embeddings, type: bert_embeddings, vocab_size: 20, hidden: 4, max_positions: 8}
                  - name: encoder
                    type: sequential
                    layers: [{name: '0', type: bert_layer, heads: 2, intermediate: 8}]
                  - {name: pool, type: token_pool}
                  - {name: norm, type: layernorm}
                  - {name: head, type: linear, out: 2}
                """));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        l.groups().forEach(g -> groups.put(g.name(), g.tensors()));
        assertEquals(List.of("embeddings", "encoder.0", "head"), List.copyOf(groups.keySet()));
        // the LayerNorm after the encoder belongs to no unit layer: it joins the group before it
        assertTrue(groups.get("encoder.0").containsAll(List.of("norm.weight", "norm.bias")));
        assertEquals(List.of("encoder.0.**", "norm.*"), l.group("encoder.0").orElseThrow().globs());
        assertEquals("norm", l.group("encoder.0").orElseThrow().row("norm"));
    }
}
