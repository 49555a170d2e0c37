package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.testing.Models;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParserTest {

    @Test
    void smallCnnHasPyTorchNamesShapesAndUnitGraph() {
        ModelLayout l = Models.example("small-cnn.yaml");
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
                "features.4.weight", "features.4.bias", "features.5.weight", "features.5.bias",
                "features.5.running_mean", "features.5.running_var", "features.5.num_batches_tracked",
                "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias"),
                l.params().stream().map(ParamInfo::name).toList());
        assertEquals(new Dims(128, 3136), l.param("classifier.1.weight").orElseThrow().dims());
        assertEquals(new Dims(), l.param("features.1.num_batches_tracked").orElseThrow().dims());
        assertEquals(new Dims(5), l.output());
        UnitLayer f0 = l.units().get("features.0");
        assertEquals(List.of("features.1"), f0.followers());
        assertEquals(List.of(new UnitLayer.Consumer("features.4", 1, false)), f0.consumers());
        UnitLayer f4 = l.units().get("features.4");
        assertEquals(List.of(new UnitLayer.Consumer("classifier.1", 49, false)), f4.consumers(),
                "flatten of [64, 7, 7]: 49 columns per channel");
        assertEquals(List.of("features.4"), l.producers().get("classifier.1"));
        assertEquals(List.of(), l.units().get("classifier.4").consumers());
        assertEquals("classifier.4", l.head(), "the only unit layer that feeds no other");
        assertEquals(9, l.param("features.0.weight").orElseThrow().fanIn());
    }

    @Test
    void residualLayersKnowTheirObstacles() {
        ModelLayout l = Models.example("small-resnet.yaml");
        assertTrue(l.units().get("stem.0").joined().isPresent());
        assertEquals(List.of("layer1.body.3"), l.units().get("layer1.body.0").consumers().stream()
                .map(UnitLayer.Consumer::layer).toList());
        assertTrue(l.units().get("layer1.body.0").consumers().get(0).grouped());
        // the unit graph is a DAG: a block's input feeds both paths, the sum feeds the next layer
        assertEquals(List.of("layer2.body.0", "layer2.projection.0"), l.units().get("layer1.body.3").consumers()
                .stream().map(UnitLayer.Consumer::layer).toList());
        assertEquals(List.of("layer2.body.3", "layer2.projection.0"), l.producers().get("head.2"));
        assertEquals(List.of("layer1.body.3", "stem.0"), l.producers().get("layer2.body.0"),
                "layer1's body plus its identity skip");
        assertEquals("head.2", l.head());
        assertTrue(l.units().get("layer2.body.3").joined().isPresent());
        assertTrue(l.units().get("layer2.projection.0").joined().isPresent());
        assertTrue(l.units().get("layer2.body.0").surgeryObstacle().isEmpty());
        assertEquals(new Dims(3), l.output());
        assertTrue(l.param("layer2.projection.1.running_var").isPresent());
    }

    @Test
    void modernLayersJoinUnitsInTheDag() {
        ModelLayout l = Models.example("modern-cnn.yaml");
        assertEquals(List.of("dilated.0"), l.producers().get("se.fc1"), "fc1 reads the pooled input's units");
        assertEquals(List.of("dilated.0", "se.fc2"), l.producers().get("layer1.conv1"), "x times fc2's scale");
        assertEquals(List.of("layer1.conv2", "dilated.0", "se.fc2"), l.producers().get("layer2.conv1"));
        assertEquals(List.of("mix.squeeze.0", "mix.wide.0", "layer2.conv2", "layer2.downsample.0"),
                l.producers().get("head.2"));
        assertEquals(Optional.of("its output feeds a squeeze-excitation channel scale"),
                l.units().get("dilated.0").surgeryObstacle());
        assertEquals(Optional.of("its output feeds a concatenation"), l.units().get("mix.wide.0").surgeryObstacle());
        assertEquals(List.of("layer2.bn1"), l.units().get("layer2.conv1").followers());
        assertEquals(Optional.of("its consumer dilated.0 is a grouped convolution"),
                l.units().get("stem.0").surgeryObstacle());
        assertEquals(new Dims(8, 4, 3, 3), l.param("dilated.0.weight").orElseThrow().dims());
        assertEquals(new Dims(8, 3, 3, 5), l.param("stem.0.weight").orElseThrow().dims());
        assertEquals(new Dims(4, 144), l.param("head.2.weight").orElseThrow().dims());
        assertEquals("head.2", l.head());
    }

    @Test
    void theHeadIsNamedOrTheOnlyUnitLayerThatFeedsNoOther() {
        String twoSinks = "input: [3, 8, 8]\nlayers:\n  - {type: conv2d, out: 4, kernel: 1}\n"
                + "  - {type: residual, body: [{type: conv2d, out: 4, kernel: 1}],"
                + " projection: [{type: conv2d, out: 4, kernel: 1}]}\n";
        ModelLayout l = ModelLayout.of(SpecParser.parse("two.yaml", twoSinks));
        assertEquals(Optional.empty(), l.headLayer());
        SpecException e = assertThrows(SpecException.class, l::head);
        assertEquals("two.yaml: name the head layer with head: NAME (candidates: 1.body.0, 1.projection.0)", e.getMessage());
        assertEquals("1.body.0", ModelLayout.of(SpecParser.parse("two.yaml", "head: 1.body.0\n" + twoSinks)).head());
        ModelSpec named = SpecParser.parse("mlp", "input: [4]\nhead: a\nlayers: [{name: a, type: linear, out: 2},"
                + " {name: b, type: linear, out: 3}]");
        assertEquals("a", ModelLayout.of(named).head(), "named, never guessed");
        assertEquals(Optional.of("a"), named.withDropout(0.1).withLinearOut("a", 7).head());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "input: [4]\\nlayers: [{type: warp}]                                    | layers[0]: unknown layer type 'warp'",
        "input: [4]\\nlayers: [{type: linear}]                                  | missing 'out'",
        "input: [4]\\nlayers: [{type: linear, out: 0}]                          | 'out' must be a positive integer",
        "input: [4]\\nlayers: [{type: linear, out: 2, colour: red}]             | unknown key 'colour'",
        "input: [4]\\nlayers: [{type: linear, out: 2, bias: maybe}]             | 'bias' must be true or false",
        "input: [1, 8, 8]\\nlayers: [{type: linear, out: 2}]                    | add a flatten layer",
        "input: [4]\\nlayers: [{type: conv2d, out: 2, kernel: 3}]               | conv2d needs input [C, H, W]",
        "input: [3, 8, 8]\\nlayers: [{type: conv2d, out: 4, kernel: 3, groups: 2}] | not divisible by groups 2",
        "input: [3, 2, 2]\\nlayers: [{type: conv2d, out: 4, kernel: 5}]         | kernel 5 is larger",
        "input: [4]\\nlayers: [{type: dropout, p: 1.5}]                         | p must be in [0, 1)",
        "input: [4]\\nlayers: [{name: a, type: relu}, {name: a, type: tanh}]    | duplicate layer name 'a'",
        "input: [4]\\nlayers: [{name: a.b, type: relu}]                         | must be non-empty and contain no '.'",
        "input: [3, 8, 8]\\nlayers: [{type: residual, body: [{type: conv2d, out: 4, kernel: 1}]}] | add a projection",
        "input: [4]\\nlayers: [{type: residual, activation: swish, body: []}]   | unknown activation 'swish'",
        "input: [4]\\nhead: act\\nlayers: [{name: fc, type: linear, out: 2}, {name: act, type: relu}] | head 'act' is not a linear or convolution layer",
        "input: [4]\\nhead: 3\\nlayers: [{type: linear, out: 2}]                | 'head' must be a string",
        "input: [1, 4, 4]\\nlayers: [{type: conv2d, out: 2, kernel: 3, padding: [1, 1, 1]}] | 'padding' must be one integer or a list of 2",
        "input: [1, 4, 4]\\nlayers: [{type: conv2d, out: 2, kernel: 3, dilation: 3}] | kernel 3 is larger than the padded input",
        "layers: []                                                            | missing 'input'",
        "input: [0]\\nlayers: []                                                | sizes must be positive integers",
        "input: [4]\\nlayers: {type: relu}                                      | must be a list of layers",
        "input: [4\\nlayers: []                                                 | not valid YAML",
        // before: a key without a value read as absent (head: picked the only candidate silently)
        "input: [4]\\nhead:\\nlayers: [{type: linear, out: 2}]                | 'head' has no value",
        // a key given twice: before, the last one silently won
        "input: [4]\\ninput: [5]\\nlayers: []                                    | line 2, column 6: not valid YAML: Duplicate field 'input'",
        // Sizes whose products overflow or exceed one tensor: before, ArithmeticException or a
        // negative dimension, exit 1.
        "input: [784]\\nlayers: [{type: linear, out: 2000000000}]              | layer 0: too large: its weight [2000000000, 784] has 1568000000000 elements",
        "input: [1, 28, 28]\\nlayers: [{type: conv2d, out: 2000000000, kernel: 3}] | layer 0: too large: its weight [2000000000, 1, 3, 3]",
        "input: [1, 280000, 280000]\\nlayers: [{type: flatten}]                 | layer 0: too large: its input [1, 280000, 280000]",
        "input: [3, 8, 8]\\nlayers: [{type: conv2d, out: 4, kernel: 100000, padding: 100000}] | layer 0: too large: its weight [3, 100000, 100000]",
    })
    void badSpecsNameTheFileAndTheLayer(String yaml, String expected) {
        SpecException e = assertThrows(SpecException.class,
                () -> ModelLayout.of(SpecParser.parse("spec.yaml", yaml.replace("\\n", "\n"))));
        assertTrue(e.getMessage().startsWith("spec.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
