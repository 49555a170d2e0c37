package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** One resume: replay, re-run the interrupted trial (it scores 0.5), close. */
    private static void resumeOnce(Path file) {
        TrialJournal.Replay r = TrialJournal.read(file);
        try (Study study = new Study(SPACE, new RandomSampler(1)); TrialJournal j = TrialJournal.open(file, SPACE)) {
            study.replay(r);
            study.addListener(j);
            if (!r.interrupted().isEmpty()) {
                study.tell(study.ask(), 0.5);
            }
        }
    }

    @Test
    void resumingNeverReusesATrialNumberSoNoFinishedTrialIsLost() throws IOException {
        Path file = dir.resolve("search.jsonl");
        TrialJournal.open(file, SPACE).close();
        String point = java.util.Arrays.toString(new int[SPACE.rank()]).replace(" ", "");
        String other = point.replaceFirst("0", "1");
        // trial 0 was running when the search died; trial 1 had finished with the best value
        Files.writeString(file, """
                {"event":"ask","trial":0,"point":%s}
                {"event":"ask","trial":1,"point":%s}
                {"event":"tell","trial":1,"state":"COMPLETE","message":"","value":0.99}
                """.formatted(point, other), StandardOpenOption.APPEND);
        resumeOnce(file);
        resumeOnce(file);
        TrialJournal.Replay r = TrialJournal.read(file);
        assertTrue(r.finished().stream().anyMatch(t -> t.value() == 0.99 && t.number() == 1),
                "the best trial survives two resumes: " + r.finished());
        assertEquals(2, r.finished().size());
        assertEquals(2, r.finished().stream().map(Trial::number).distinct().count(), "no number told twice");
        try (Study study = new Study(SPACE, new RandomSampler(1))) {
            study.replay(r);
            assertEquals(0.99, study.best().orElseThrow().value());
            assertTrue(study.ask().number() > 2, "a new trial never takes a number the journal used");
        }
    }

    static java.util.stream.Stream<byte[]> tornTails() {
        return java.util.stream.Stream.of(
                "{\"event\":\"tell\",\"tri".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                // cut inside a two-byte character: not even UTF-8
                new byte[] {'{', '"', 'm', '"', ':', '"', 'c', 'a', 'f', (byte) 0xC3},
                new byte[] {0, 0, 0, 0},
                // a garbage line that happens to end in a newline
                "{\"event\":\"tell\",\"tri\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("tornTails")
    void aTornLastLineIsCutBeforeTheNextAppendSoEveryLaterResumeReads(byte[] tail) throws IOException {
        Path file = dir.resolve("search.jsonl");
        try (Study study = new Study(SPACE, new RandomSampler(5)); TrialJournal j = TrialJournal.open(file, SPACE)) {
            study.addListener(j);
            study.optimize(3, SamplerContractTest::objective);
        }
        Files.write(file, tail, StandardOpenOption.APPEND);
        assertEquals(3, TrialJournal.read(file).finished().size(), "the torn tail is ignored");
        for (int resume = 0; resume < 2; resume++) {
            TrialJournal.Replay r = TrialJournal.read(file);
            try (Study study = new Study(SPACE, new RandomSampler(5)); TrialJournal j = TrialJournal.open(file, SPACE)) {
                study.replay(r);
                study.addListener(j);
                study.optimize(r.finished().size() + 2, SamplerContractTest::objective);
            }
        }
        TrialJournal.Replay done = TrialJournal.read(file);
        assertEquals(7, done.finished().size());
        assertTrue(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("}\n"));
    }

    @Test
    void aJournalWithNoStudyLineLeftByAKillAtItsCreationCountsAsNew() throws IOException {
        Path file = dir.resolve("search.jsonl");
        Files.writeString(file, "{\"event\":\"stu");
        try (Study study = new Study(SPACE, new RandomSampler(5)); TrialJournal j = TrialJournal.open(file, SPACE)) {
            study.addListener(j);
            study.optimize(2, SamplerContractTest::objective);
        }
        assertEquals(2, TrialJournal.read(file).finished().size());
        assertTrue(Files.readString(file).startsWith("{\"event\":\"study\""));
    }

    @Test
    void aJournalThatIsASymbolicLinkIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "precious\n");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path file = Files.createSymbolicLink(run.resolve("search.jsonl"), outside);
        GraftInputException e = assertThrows(GraftInputException.class, () -> TrialJournal.open(file, SPACE));
        assertTrue(e.getMessage().startsWith(file + ": is a symbolic link"), e.getMessage());
        assertEquals("precious\n", Files.readString(outside));
        assertThrows(GraftInputException.class, () -> TrialJournal.read(file), "nor read through it");
        Files.delete(outside); // a dangling link is refused too
        assertThrows(GraftInputException.class, () -> TrialJournal.open(file, SPACE));
        assertFalse(Files.exists(outside));
    }
}
