package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.model.ModelLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An experiment's {@code model} as a spec file or as a model family by name. */
class FamilyModelTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    private static ModelLayout layout(String model) {
        ExperimentConfig c = ExperimentLoader.parse("family test", "name: f\nmodel: " + model + "\n");
        return ModelLayout.of(ExperimentModel.spec(c.model(), EXAMPLES, "family test: model"));
    }

    @Test
    void aFamilyByNameBuildsTorchvisionsNetworkForTheClassCount() {
        ModelLayout r = layout("{family: resnet18, num_classes: 5}");
        assertEquals(new Dims(5), r.output());
        assertEquals(new Dims(3, 224, 224), r.spec().input());
        assertEquals("fc", r.head());
        assertEquals("layer4.1.bn2.num_batches_tracked", r.params().get(r.params().size() - 3).name());

        ModelLayout gray = layout("{family: mobilenet_v2, num_classes: 10, input: [1, 28, 28]}");
        assertEquals(new Dims(10), gray.output());
        assertEquals(new Dims(32, 1, 3, 3), gray.param("features.0.0.weight").orElseThrow().dims());
    }

    /** Before: "family vgg11_bn: layer features.28: kernel 2 is larger than the input", naming neither file nor key. */
    @Test
    void anInputTooSmallForAFamilyNamesTheKeyAndTheSmallestSizeThatWorks() {
        ExperimentConfig c = ExperimentLoader.parse("e.yaml",
                "name: f\nmodel: {family: vgg11_bn, num_classes: 3, input: [1, 16, 16]}\n");
        GraftInputException e = assertThrows(GraftInputException.class, () -> ExperimentModel.layout(c.model(),
                EXAMPLES, "e.yaml"));
        assertTrue(e.getMessage().startsWith("e.yaml: model.input: [1, 16, 16] is too small for vgg11_bn (the smallest "
                + "square input it takes is [1, 32, 32])"), e.getMessage());
        assertEquals(new Dims(3), layout("{family: vgg11_bn, num_classes: 3, input: [1, 32, 32]}").output());
    }

    @Test
    void aSpecFileStillWorksAloneOrAsSpec() {
        assertEquals(layout("specs/small-cnn.yaml").params(), layout("{spec: specs/small-cnn.yaml}").params());
    }

    @Test
    void badFamilyModelsAreRefusedWithTheirPath() {
        GraftInputException unknown = assertThrows(GraftInputException.class,
                () -> layout("{family: resnet19, num_classes: 5}"));
        assertTrue(unknown.getMessage().contains("family test: model: unknown family 'resnet19' (known: resnet18"),
                unknown.getMessage());
        assertThrows(GraftInputException.class, () -> layout("{family: resnet18}"));
        assertThrows(GraftInputException.class, () -> layout("{family: resnet18, num_classes: 5, spec: a.yaml}"));
        assertThrows(GraftInputException.class, () -> layout("{spec: specs/small-cnn.yaml, num_classes: 5}"));
        assertThrows(GraftInputException.class, () -> layout("{family: resnet18, num_classes: 5, input: [3, 224]}"));
    }
}
