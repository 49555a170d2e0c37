package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every sampler passes. */
class SamplerContractTest {
    static final SearchSpace SPACE = new SearchSpace(List.of(
            Dimension.categorical("decision", List.of("scratch", "frozen", "finetune")),
            Dimension.ordinal("lr", List.of(0.01, 0.1, 1.0, 10.0)),
            Dimension.ordinal("fraction", List.of(0.25, 0.5, 0.75, 1.0)),
            Dimension.categorical("fixed", List.of("adam")),
            Dimension.ordinal("epochs", List.of(5, 10, 20))));

    static Stream<Arguments> samplers() {
        return Stream.of(
                Arguments.of("random", (LongFunction<Sampler>) RandomSampler::new),
                Arguments.of("grid", (LongFunction<Sampler>) seed -> new GridSampler()),
                Arguments.of("annealing", (LongFunction<Sampler>) seed -> new AnnealingSampler(
                        AnnealingSampler.Config.defaults(40), seed)),
                Arguments.of("tpe", (LongFunction<Sampler>) TpeSampler::defaults),
                Arguments.of("genetic", (LongFunction<Sampler>) seed -> new GeneticSampler(
                        GeneticSampler.Config.defaults(40), seed)),
                Arguments.of("reinforce", (LongFunction<Sampler>) seed -> new ReinforceSampler(
                        ReinforceSampler.Config.defaults(), seed)),
                Arguments.of("nsga2", (LongFunction<Sampler>) seed -> new NsgaSampler(NsgaSampler.Config.defaults(40),
                        Objectives.of(List.of("target", "parameters"), null, "test"), seed)));
    }

    static double objective(int[] p) {
        return p[0] * 1.5 + p[1] - Math.abs(p[2] - 2) + p[4] * 0.3;
    }

    static List<Trial> run(Sampler sampler, int n, boolean failSome) {
        try (Study study = new Study(SPACE, sampler)) {
            for (int i = 0; i < n; i++) {
                Trial t = study.ask();
                if (failSome && i % 7 == 3) {
                    study.tell(t, Double.NaN, TrialState.FAILED, "boom");
                } else {
                    study.tell(t, objective(t.point()));
                }
            }
            return study.trials();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void proposesValidPointsAndKeepsFixedGenesFixed(String name, LongFunction<Sampler> make) {
        List<Trial> trials = run(make.apply(1), 40, true);
        assertEquals(40, trials.size());
        for (Trial t : trials) {
            assertTrue(SPACE.contains(t.point()), name);
            assertEquals(0, t.point()[3], "fixed gene");
            assertTrue(t.state().finished());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void theSameSeedGivesTheSameSequence(String name, LongFunction<Sampler> make) {
        List<Trial> a = run(make.apply(7), 30, false);
        List<Trial> b = run(make.apply(7), 30, false);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).point(), b.get(i).point(), name + " trial " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void finishedTrialsAreFrozenAndBestIsTheMaximum(String name, LongFunction<Sampler> make) {
        try (Study study = new Study(SPACE, make.apply(3))) {
            study.optimize(15, SamplerContractTest::objective);
            Trial first = study.trials().get(0);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> study.tell(first, 99));
            double max = study.trials().stream().mapToDouble(Trial::value).max().orElseThrow();
            assertEquals(max, study.best().orElseThrow().value());
        }
    }

    /**
     * A search killed while a trial ran (after N/2 trials, and again after N), resumed each time
     * from its journal by a fresh sampler with the same seed, up to 2N: the sampler's state is
     * rebuilt from the journal, so it proposes exactly what an uninterrupted search of 2N proposes
     * (not its first points again), and the interrupted trials run again once each.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void aResumedSearchProposesWhatAnUninterruptedOneWould(String name, LongFunction<Sampler> make,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int n = 12;
        List<Trial> uninterrupted = run(make.apply(11), 2 * n, true);
        java.nio.file.Path file = dir.resolve("search.jsonl");
        int done = 0;
        for (int killAt : new int[] {n / 2, n, 2 * n}) {
            TrialJournal.Replay r = java.nio.file.Files.exists(file) ? TrialJournal.read(file) : null;
            try (Study study = new Study(SPACE, make.apply(11)); TrialJournal j = TrialJournal.open(file, SPACE)) {
                if (r != null) {
                    study.replay(r);
                }
                study.addListener(j);
                for (; done < killAt; done++) {
                    askAndTell(study, done);
                }
                if (killAt < 2 * n) {
                    study.ask(); // killed while this one ran
                    continue;
                }
                List<Trial> trials = study.trials();
                assertEquals(2 * n, trials.size());
                for (int i = 0; i < 2 * n; i++) {
                    assertArrayEquals(uninterrupted.get(i).point(), trials.get(i).point(), name + ": trial " + i);
                }
            }
        }
        assertEquals(2 * n, TrialJournal.read(file).finished().size());
        assertTrue(TrialJournal.read(file).interrupted().isEmpty(), "each interrupted trial ran again once");
    }

    /** The {@code i}-th trial of {@link #run} with failures. */
    private static void askAndTell(Study study, int i) {
        Trial t = study.ask();
        if (i % 7 == 3) {
            study.tell(t, Double.NaN, TrialState.FAILED, "boom");
        } else {
            study.tell(t, objective(t.point()));
        }
    }
}
