package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.Tensor;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.family.Families;
import dev.graft.transfer.Mode;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.PlanComposition;
import dev.graft.transfer.TransferException;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An experiment's plan (renames) composed with built-in strategies (modes), on torchvision's
 * ResNet-18 whose checkpoint was saved from {@code nn.DataParallel}: every name carries the
 * {@code module.} prefix. Before, a built-in strategy ignored the experiment's plan and found no
 * source tensor at all.
 */
class PlanCompositionTest {
    private static final ModelLayout RESNET = ModelLayout.of(Families.spec("resnet18:5"));
    private static final TransferPlan RENAME = PlanCodec.parse("plan.yaml",
            "rules: [{regex: '(.*)', source: 'module.$1'}]");

    /** A DataParallel-style checkpoint of the layout's own initial weights. */
    private static Map<String, Tensor> original() {
        TransferResult init = Transferor.apply(new MemoryWeightStore(null, Map.of(), Map.of()), RESNET,
                new TransferPlan(List.of(), false, 7), true);
        return init.tensors();
    }

    private static TransferPlan strategy(String name) {
        return Strategies.resolve(ExperimentConfig.StrategySpec.named(name), RESNET, TrainSettings.defaults(),
                Path.of("."), 3, name).plan();
    }

    @Test
    void builtInStrategiesDecideModesOnTopOfTheExperimentsRenames() {
        Map<String, Tensor> original = original();
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        original.forEach((n, t) -> renamed.put("module." + n, t));
        MemoryWeightStore source = new MemoryWeightStore(null, renamed, Map.of());

        assertThrows(TransferException.class, () -> Transferor.apply(source, RESNET, strategy("head_only"), false),
                "the strategy alone looks for unprefixed names");

        TransferResult headOnly = Transferor.apply(source, RESNET,
                PlanComposition.compose(RENAME, strategy("head_only"), RESNET), false);
        String head = RESNET.head();
        for (ParamInfo p : RESNET.params()) {
            Mode mode = headOnly.modes().get(p.name());
            if (p.layer().equals(head)) {
                assertEquals(0, row(headOnly, p.name()).transferred(), p.name() + " is re-initialized");
            } else {
                assertTrue(original.get(p.name()).contentEquals(headOnly.tensors().get(p.name())), p.name());
                assertEquals("module." + p.name(), row(headOnly, p.name()).source().orElseThrow());
                if (p.role().trainable()) {
                    assertTrue(mode instanceof Mode.Frozen, p.name() + " is frozen by head_only: " + mode);
                }
            }
        }

        TransferResult partial = Transferor.apply(source, RESNET,
                PlanComposition.compose(RENAME, strategy("partial"), RESNET), false);
        assertTrue(partial.modes().get("conv1.weight") instanceof Mode.Frozen);
        assertTrue(partial.modes().get("layer4.1.conv2.weight") instanceof Mode.FineTune,
                "partial fine-tunes the top layers: " + partial.modes().get("layer4.1.conv2.weight"));
        assertTrue(original.get("layer4.1.conv2.weight").contentEquals(partial.tensors().get("layer4.1.conv2.weight")));
    }

    @Test
    void aPlanThatReinitializesATensorWinsOverTheStrategysModeAndUnmatchedTensorsFollowAutoMatching() {
        Map<String, Tensor> original = original();
        TransferPlan plan = PlanCodec.parse("plan.yaml", "rules: [{match: 'layer1.**', mode: reinit}]");
        TransferResult r = Transferor.apply(new MemoryWeightStore(null, original, Map.of()), RESNET,
                PlanComposition.compose(plan, strategy("full"), RESNET), false);
        assertEquals(0, row(r, "layer1.0.conv1.weight").transferred());
        assertTrue(original.get("layer2.0.conv1.weight").contentEquals(r.tensors().get("layer2.0.conv1.weight")));
        assertTrue(r.modes().get("layer2.0.conv1.weight") instanceof Mode.FineTune);
    }

    private static dev.graft.transfer.TransferReport.Row row(TransferResult r, String name) {
        return r.report().rows().stream().filter(x -> x.target().equals(name)).findFirst().orElseThrow();
    }
}
