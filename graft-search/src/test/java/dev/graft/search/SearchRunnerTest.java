package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search runner's crash and resume rules, on the shipped experiment with a stand-in executor
 * (a trial's value is a function of its point), so that only the runner's own logic runs.
 */
class SearchRunnerTest {
    private static Prepared shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void prepare() {
        shared = ExperimentRunner.prepare(ExperimentLoader.parse("runner", SearchFixtures.experiment("runner", 5, "")),
                SearchFixtures.ROOT.resolve("x.yaml"), ExperimentRunner.Progress.NONE);
    }

    /** The shared experiment, writing to {@code dir/out}. */
    private Prepared prepared() {
        Prepared p = shared;
        return new Prepared(p.config(), p.file(), p.layout(), p.data(), p.source(), p.sourceLabel(), p.sourceSha256(),
                p.train(), dir.resolve("out"), p.sourceTask());
    }

    /** A small space: only the decisions are searched, one epoch per trial. */
    static SearchSettings settings(String sampler, int trials) {
        return SearchSettings.of(ExperimentLoader.parse("runner", SearchFixtures.experiment("runner", 5, """
                search: {sampler: %s, trials: %d, shots: 5, seed: 3, genes: {epochs: [1], base_lrs: [0.001],
                  lr_multipliers: [1.0], fractions: [1.0], l2sp: [0.0]}, fitness: {method: holdout},
                  selection: {hand_strategies: false}}
                """.formatted(sampler, trials))), "test");
    }

    /** Instant trials: the value is a function of the point. */
    static TrialExecutor instant(TrialRequest.Template requests, PolicyObjective objective) {
        return new TrialExecutor() {
            @Override
            public TrialResult execute(TrialRequest r, EpochCallback callback) {
                int[] point = r.point();
                double v = 0;
                for (int i = 0; i < point.length; i++) {
                    v += point[i] * (i + 1) * 0.01;
                }
                callback.onEpoch(0, v);
                return new TrialResult(r.id(), TrialState.COMPLETE, v, "", new double[0], Double.NaN,
                        java.util.List.of(v), 0, 0, null);
            }

            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    static final SearchRunner.Listener QUIET = (t, summary, best, finished, total, eta) -> { };

    SearchRunner.Outcome run(SearchSettings s, boolean resume) throws IOException {
        return SearchRunner.run(prepared(), s, resume, SearchRunnerTest::instant, QUIET);
    }

    static long evaluated(List<Trial> trials) {
        return trials.stream().filter(t -> t.state().finished() && !"cached".equals(t.message())).count();
    }

    @Test
    void aResumedSearchWithALargerBudgetEvaluatesNewPoliciesAndCachedOnesCostNothing() throws IOException {
        run(settings("random", 4), false);
        SearchRunner.Outcome o = run(settings("random", 8), true);
        PolicySpace policies = new PolicySpace(prepared().layout(), settings("random", 8).choices());
        Set<String> distinct = new HashSet<>();
        o.trials().forEach(t -> distinct.add(policies.canonical(t.point())));
        assertEquals(8, evaluated(o.trials()), "memo hits do not consume the budget");
        assertEquals(8, distinct.size(), "8 distinct policies, not the first 4 again");
        Set<Integer> numbers = new HashSet<>();
        o.trials().forEach(t -> assertTrue(numbers.add(t.number()), "trial number " + t.number() + " reused"));
    }

    /** Before: empty folds were averaged in as 0, trial values below chance with exit 0. */
    @Test
    void moreFoldsThanAClassHasLabelledImagesIsRefused() {
        SearchSettings s = SearchSettings.of(ExperimentLoader.parse("runner", SearchFixtures.experiment("runner", 5, """
                search: {sampler: random, trials: 2, shots: 5, genes: {epochs: [1]}, fitness: {method: kfold, folds: 11}}
                """)), "test");
        GraftInputException e = assertThrows(GraftInputException.class, () -> run(s, false));
        assertTrue(e.getMessage().contains("search.fitness.folds: 11 folds need at least 11 labelled images")
                && e.getMessage().contains("has 10 at 5 shots"), e.getMessage());
    }

    /** Before: a resumed journal's accuracy trials were compared with new macro-F1 ones, exit 0. */
    @Test
    void resumingUnderOtherScoringIsRefused() throws IOException {
        run(settings("random", 2), false);
        SearchSettings f1 = SearchSettings.of(ExperimentLoader.parse("runner", SearchFixtures.experiment("runner", 5, """
                search: {sampler: random, trials: 4, shots: 5, seed: 3, metric: macro_f1, genes: {epochs: [1],
                  base_lrs: [0.001], lr_multipliers: [1.0], fractions: [1.0], l2sp: [0.0]}, fitness: {method: holdout},
                  selection: {hand_strategies: false}}
                """)), "test");
        GraftInputException e = assertThrows(GraftInputException.class, () -> run(f1, true));
        assertTrue(e.getMessage().contains("the journal's trials were scored by accuracy")
                && e.getMessage().contains("this run scores by macro_f1"), e.getMessage());
        assertEquals(4, run(settings("random", 4), true).trials().size(), "the same scoring resumes");
    }

    @Test
    void anExhaustedGridStopsInsteadOfRepeatingItself() throws IOException {
        SearchSettings s = settings("grid", 1000);
        long cardinality = new PolicySpace(prepared().layout(), s.choices()).space().cardinality();
        assertTrue(cardinality < 1000, "a small space: " + cardinality);
        SearchRunner.Outcome o = run(s, false);
        assertEquals(cardinality, o.trials().size(), "each grid point once, then the search stops");
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedWithTheHoldersPid() throws IOException {
        Path folder = dir.resolve("out/search");
        Files.createDirectories(folder);
        try (FileChannel ch = FileChannel.open(folder.resolve(".graft.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            ch.write(ByteBuffer.wrap("4242\n".getBytes(StandardCharsets.US_ASCII)));
            GraftInputException e = assertThrows(GraftInputException.class, () -> run(settings("random", 2), true));
            assertEquals(folder + ": folder in use (pid 4242); wait for that run to end, or use another output folder",
                    e.getMessage());
            assertFalse(Files.exists(folder.resolve("search.jsonl")), "the refused run wrote nothing");
        }
        assertEquals(2, run(settings("random", 2), false).trials().size(), "free again once released");
    }

    @Test
    void anEmptyJournalLeftByAKillAtItsCreationCountsAsNew() throws IOException {
        Path journal = dir.resolve("out/search/search.jsonl");
        Files.createDirectories(journal.getParent());
        Files.write(journal, new byte[0]);
        assertEquals(2, run(settings("random", 2), false).trials().size(), "plain search starts afresh");
        Files.writeString(journal, "{\"event\":\"stu");
        assertEquals(2, run(settings("random", 2), true).trials().size(), "--resume too");
    }

    @Test
    void temporariesLeftByAKillMidWriteAreRemovedByTheNextRun() throws IOException {
        Path folder = dir.resolve("out/search");
        Files.createDirectories(folder);
        Path stale = Files.writeString(folder.resolve(".results.json.8123456789.tmp"), "{\"half\":");
        Path staleReport = Files.writeString(folder.resolve(".report.html.-42.tmp"), "<html>");
        Path notOurs = Files.writeString(folder.resolve("notes.tmp"), "mine");
        run(settings("random", 2), false);
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleReport));
        assertTrue(Files.exists(notOurs), "only Graft's own naming is cleaned");
    }

    @Test
    void aJournalThatIsASymbolicLinkIsNeitherFollowedNorRemoved() throws IOException {
        Path outside = Files.writeString(dir.resolve("elsewhere.jsonl"), "");
        Path journal = dir.resolve("out/search/search.jsonl");
        Files.createDirectories(journal.getParent());
        Files.createSymbolicLink(journal, outside);
        for (boolean resume : new boolean[] {false, true}) {
            GraftInputException e = assertThrows(GraftInputException.class, () -> run(settings("random", 2), resume));
            assertTrue(e.getMessage().startsWith(journal + ": is a symbolic link"), e.getMessage());
        }
        assertTrue(Files.isSymbolicLink(journal));
        assertEquals("", Files.readString(outside));
    }
}
