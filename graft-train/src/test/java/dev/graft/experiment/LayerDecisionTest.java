package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.train.OptimizerKind;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerDecisionTest {
    static final String MLP = """
            input: [8]
            layers:
              - {name: fc1, type: linear, out: 16}
              - {name: bn, type: batchnorm1d}
              - {name: act, type: relu}
              - {name: fc2, type: linear, out: 16}
              - {name: act2, type: relu}
              - {name: head, type: linear, out: 3}
            """;

    @Test
    void decisionsFractionsAndEffectiveRatesPerLayer() {
        ModelLayout layout = ModelLayout.of(SpecParser.parse("mlp", MLP));
        MemoryWeightStore source = new MemoryWeightStore(null, Transferor.apply(
                new MemoryWeightStore(null, Map.of(), Map.of()), layout, new TransferPlan(List.of(), false, 1), true)
                .tensors(), Map.of());
        TransferPlan plan = PlanCodec.parse("plan", """
                rules:
                  - regex: "fc1\\\\..*"
                    mode: frozen
                  - match: "fc2.weight"
                    units: {action: freeze, range: "0:4"}
                    lr: 0.5
                  - match: "fc2.bias"
                    lr: 0.5
                  - regex: "head\\\\..*"
                    mode: reinit
                """);
        TransferResult tr = Transferor.apply(source, layout, plan, false);
        // layer-wise decay 0.5: groups fc1(+bn)=0, fc2=1, head=2 → factors 0.25, 0.5, 1
        TrainConfig cfg = TrainConfig.simple(OptimizerKind.ADAM, 0.01, 5, 8).withLayerwise(0.5, 0);
        List<LayerDecision> d = LayerDecision.of(layout, tr, cfg);

        assertEquals(List.of("fc1", "bn", "fc2", "head"), d.stream().map(LayerDecision::layer).toList());
        assertEquals(new LayerDecision("fc1", "linear", LayerDecision.FROZEN, 0, 1.0, 8 * 16 + 16, 0, "fc1"), d.get(0));
        assertEquals(new LayerDecision("bn", "batchnorm1d", LayerDecision.FINE_TUNED, 0.25, 1.0, 32, 32, "fc1"),
                d.get(1));
        // 4 of fc2's 16 output units frozen: 4 rows of 16 inputs stay fixed
        assertEquals(new LayerDecision("fc2", "linear", LayerDecision.PARTLY, 0.5 * 0.5, 1.0, 16 * 16 + 16,
                16 * 16 + 16 - 4 * 16, "fc2"), d.get(2));
        assertEquals(new LayerDecision("head", "linear", LayerDecision.REINITIALIZED, 1.0, 0.0, 16 * 3 + 3,
                16 * 3 + 3, "head"), d.get(3));
        assertEquals(32 + 208 + 51, LayerDecision.trainable(d));
    }
}
