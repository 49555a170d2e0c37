package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one wire form of trial messages: lossless, one line each, tagged, and strict about kinds. */
class TrialCodecTest {
    @Test
    void aRequestTravelsWhole() {
        String yaml = "name: x\n# a comment with \"quotes\" and ünïcode\n";
        TrialRequest r = new TrialRequest.Template("s", new TrialRequest.Experiment("/tmp/x.yaml", yaml,
                TrialRequest.Experiment.sha256(yaml)), 5, 42L).at(7, new int[] {1, 0, 3}, true);
        String line = TrialCodec.encode(r);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("\"type\":\"request\""), line);
        TrialRequest back = TrialCodec.decode(line, TrialRequest.class);
        assertEquals("s-7", back.id());
        assertArrayEquals(new int[] {1, 0, 3}, back.point());
        assertEquals(yaml, back.experiment().yaml());
        assertTrue(back.experiment().intact());
        assertEquals(42L, back.seed());
        assertTrue(back.waitForDecisions());
    }

    @Test
    void missingValuesSurviveAsNaN() {
        TrialResult r = TrialResult.failed("a", "boom", List.of(0.25, 0.5));
        TrialResult back = TrialCodec.decode(TrialCodec.encode(r), TrialResult.class);
        assertTrue(Double.isNaN(back.value()));
        assertTrue(Double.isNaN(back.stderr()));
        assertEquals(List.of(0.25, 0.5), back.intermediate());
        assertEquals(TrialState.FAILED, back.state());
        assertEquals("boom", back.message());
    }

    @Test
    void aTamperedExperimentIsNotIntact() {
        TrialRequest.Experiment e = new TrialRequest.Experiment("/x", "name: y\n", TrialRequest.Experiment.sha256("name: x\n"));
        assertFalse(e.intact());
    }

    @Test
    void aLineOfAnotherKindIsRefusedInOneLine() {
        String epoch = TrialCodec.encode(new TrialMessage.Epoch("a", 0, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrialCodec.decode(epoch, TrialResult.class));
        assertEquals("expected a TrialResult, got a Epoch", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrialCodec.decode("{\"type\":\"nonsense\"}"));
        assertThrows(IllegalArgumentException.class, () -> TrialCodec.decode("not json"));
    }
}
