package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialJournalTest {
    @TempDir
    Path dir;

    static final SearchSpace SPACE = SamplerContractTest.SPACE;

    @Test
    void everyEventIsRecordedAndReplayed() throws IOException {
        Path file = dir.resolve("search.jsonl");
        try (Study study = new Study(SPACE, new RandomSampler(1)); TrialJournal j = TrialJournal.open(file, SPACE)) {
            study.addListener(j);
            Trial t = study.ask();
            study.report(t, 0.5);
            study.report(t, 0.7);
            study.tell(t, 0.9);
            Trial f = study.ask();
            study.tell(f, Double.NaN, TrialState.FAILED, "out of memory");
            study.optimize(6, SamplerContractTest::objective);
        }
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(2).startsWith("{\"event\":\"tell\",\"trial\":0,"), "no record per epoch: " + lines.get(2));
        assertTrue(lines.get(2).contains("\"intermediate\":[0.5,0.7]"), lines.get(2));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains("\"at_ms\":")), "every record is timed");
        TrialJournal.Replay r = TrialJournal.read(file);
        assertEquals(6, r.finished().size());
        assertEquals(List.of(0.5, 0.7), r.finished().get(0).intermediate());
        assertEquals(0.9, r.finished().get(0).value());
        assertEquals(TrialState.FAILED, r.finished().get(1).state());
        assertEquals("out of memory", r.finished().get(1).message());
        assertTrue(r.interrupted().isEmpty());
    }

    @Test
    void aKilledSearchResumesLosingOnlyTheRunningTrial() throws IOException {
        Path file = dir.resolve("search.jsonl");
        int[] interruptedPoint;
        try (Study study = new Study(SPACE, new RandomSampler(5)); TrialJournal j = TrialJournal.open(file, SPACE)) {
            study.addListener(j);
            study.optimize(5, SamplerContractTest::objective);
            interruptedPoint = study.ask().point();
        }
        // the kill came in the middle of writing the next record
        Files.writeString(file, "{\"event\":\"tell\",\"tri", StandardOpenOption.APPEND);
        TrialJournal.Replay r = TrialJournal.read(file);
        assertEquals(5, r.finished().size());
        assertEquals(1, r.interrupted().size());
        try (Study resumed = new Study(SPACE, new RandomSampler(5))) {
            resumed.replay(r);
            Trial again = resumed.ask();
            assertArrayEquals(interruptedPoint, again.point(), "the interrupted trial runs again first");
            resumed.tell(again, SamplerContractTest.objective(again.point()));
            resumed.optimize(12, SamplerContractTest::objective);
            assertEquals(12, resumed.finishedCount(), "as many finished trials as an uninterrupted run");
            assertEquals(12, resumed.trials().size());
        }
    }

    @Test
    void journalsWithAReportRecordPerEpochStillReplay() throws IOException {
        Path file = dir.resolve("search.jsonl");
        TrialJournal.open(file, SPACE).close();
        Files.writeString(file, """
                {"event":"ask","trial":0,"point":%s}
                {"event":"report","trial":0,"value":0.25}
                {"event":"report","trial":0,"value":0.5}
                {"event":"tell","trial":0,"state":"COMPLETE","message":"","value":0.5}
                """.formatted(java.util.Arrays.toString(new int[SPACE.dimensions().size()]).replace(" ", "")),
                StandardOpenOption.APPEND);
        assertEquals(List.of(0.25, 0.5), TrialJournal.read(file).finished().get(0).intermediate());
    }

    @Test
    void aJournalOfAnotherSpaceIsRefused() {
        Path file = dir.resolve("search.jsonl");
        TrialJournal.open(file, SPACE).close();
        SearchSpace other = new SearchSpace(List.of(Dimension.ordinal("x", List.of(1, 2))));
        GraftInputException e = assertThrows(GraftInputException.class, () -> TrialJournal.open(file, other));
        assertTrue(e.getMessage().contains("different search space"), e.getMessage());
    }
}
