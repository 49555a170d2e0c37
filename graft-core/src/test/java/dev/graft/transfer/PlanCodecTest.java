package dev.graft.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanCodecTest {
    static final String FULL = """
            seed: 9
            auto_match: false
            rules:
              - {match: "features.0.*", mode: frozen}
              - {regex: "features\\\\.(4|5)\\\\..*", transform: select_units, lr: 0.25}
              - {match: "stem.0.weight", transform: {type: adapt_input_channels, mode: repeat}}
              - {match: "head.*", source: "classifier.4.$1", mode: reinit, init: normal, std: 0.02}
              - {match: "fc.weight", units: {action: freeze, indices: [3, 1, 2]}}
              - {match: "fc2.weight", units: {action: transfer, range: "2:5"}, transform: slice_pad}
              - {match: "x.*", transform: net2wider, mode: reinit, init: kaiming}
            """;

    @Test
    void parsesEveryPart() {
        TransferPlan p = PlanCodec.parse("p", FULL);
        assertEquals(9, p.seed());
        assertFalse(p.autoMatch());
        assertEquals(7, p.rules().size());
        assertEquals(new Mode.Frozen(), p.rules().get(0).mode());
        assertFalse(p.rules().get(1).match().glob());
        assertEquals(new Transform.SelectUnits(), p.rules().get(1).transform());
        assertEquals(0.25, p.rules().get(1).mode().lrMultiplier());
        assertEquals(new Transform.AdaptInputChannels(Transform.AdaptInputChannels.Mode.REPEAT), p.rules().get(2).transform());
        assertEquals(Optional.of("classifier.4.$1"), p.rules().get(3).source());
        assertEquals(new Mode.Reinit(new Initializer(Initializer.Kind.NORMAL, 0.02)), p.rules().get(3).mode());
        assertEquals(new UnitMask(List.of(1, 2, 3), UnitMask.Action.FREEZE), p.rules().get(4).units().orElseThrow());
        assertEquals(new UnitMask(List.of(2, 3, 4), UnitMask.Action.TRANSFER), p.rules().get(5).units().orElseThrow());
    }

    @Test
    void yamlAndJsonRoundTripToTheSamePlan() {
        TransferPlan p = PlanCodec.parse("p", FULL);
        assertEquals(p, PlanCodec.parse("json", PlanCodec.toJson(p)));
        assertEquals(p, PlanCodec.parse("yaml", PlanCodec.toYaml(p)));
        assertEquals(p, PlanCodec.parse("compact", PlanCodec.toCompactJson(p)));
        TransferPlan shipped = PlanCodec.read(Fixtures.example("plans/fine-grained.yaml"));
        assertEquals(shipped, PlanCodec.parse("again", PlanCodec.toYaml(shipped)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rules: [{match: a, mode: melted}]                        | unknown mode 'melted'",
        "rules: [{match: a, transform: magic}]                    | unknown transform 'magic'",
        "rules: [{match: a, regex: b}]                            | exactly one of 'match'",
        "rules: [{mode: frozen}]                                  | exactly one of 'match'",
        "rules: [{match: a, lr: -1}]                              | positive number",
        "rules: [{match: a, mode: frozen, lr: 2}]                 | 'lr' applies only to mode finetune",
        "rules: [{match: a, init: xavier}]                        | 'init' and 'std' apply only to mode reinit",
        "rules: [{match: a, mode: reinit, init: magic}]           | unknown init 'magic'",
        "rules: [{match: a, color: red}]                          | unknown key 'color'",
        "rules: [{match: a, units: ~}]                            | 'rules[0].units' has no value",
        "rules: [{regex: 'a(('}]                                  | bad regex",
        "rules: [{match: a, units: {action: keep, range: '0:2'}}] | unknown units action 'keep'",
        "rules: [{match: a, units: {range: '5:2'}}]               | must read FROM:TO",
        "rules: [{match: a, mode: reinit, units: {range: '0:2'}}] | needs a transferred tensor",
        "rules: {match: a}                                        | 'rules' must be a list",
        "seed: abc                                                | 'seed' must be an integer",
        "colour: 1                                                | unknown key 'colour'",
        "'[unclosed'                                              | not valid YAML or JSON",
        "rules: [{match: a, mode: frozen, mode: reinit}]          | Duplicate field 'mode'",
        "just words                                               | a plan is a mapping",
    })
    void badPlansGiveOneClearLine(String yaml, String expected) {
        TransferException e = assertThrows(TransferException.class, () -> PlanCodec.parse("plan.yaml", yaml));
        assertTrue(e.getMessage().startsWith("plan.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void globsMatchWithinSegmentsAndCapture() {
        TensorMatch m = TensorMatch.glob("features.*.weight");
        assertTrue(m.match("features.4.weight").isPresent());
        assertFalse(m.match("features.4.1.weight").isPresent());
        assertTrue(TensorMatch.glob("features.**").match("features.4.1.weight").isPresent());
        assertFalse(TensorMatch.glob("features.?.weight").match("features.10.weight").isPresent());
        assertEquals("enc.4.w", TensorMatch.rename(m.match("features.4.weight").orElseThrow(), "enc.$1.w"));
        assertFalse(TensorMatch.glob("a.b").match("aXb").isPresent(), "dots are literal");
    }
}
