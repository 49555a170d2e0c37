package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link TrialExecutor} does, checked on real fine-tunes of the shipped few-shot
 * experiment (six epochs on 25 images): results equal an in-process {@link TrialRunner}'s for the
 * same request (training is seeded), epochs reach the callback in order, a stop is obeyed within one
 * epoch, a bad experiment fails only its trial, {@link #parallelism()} trials run at once, and every
 * result survives the codec. A subclass supplies the executor; one is started per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TrialExecutorContract {
    private static final int[] FIRST = new int[16];
    private static final int[] SECOND = point(0, 2);
    private TrialExecutor executor;
    private TrialRequest.Template template;
    private TrialResult reference;
    protected Path dir;

    /** The executor under test. */
    protected abstract TrialExecutor start() throws Exception;

    private static int[] point(int index, int value) {
        int[] p = new int[16];
        p[index] = value;
        return p;
    }

    /** The shipped few-shot experiment with six epochs per trial, written to {@code dir}. */
    public static Path experiment(Path dir) throws java.io.IOException {
        Path exp = dir.resolve("search.yaml");
        Files.writeString(exp, SearchFixtures.experiment("contract", 5, """
                search: {sampler: random, trials: 4, shots: 5, genes: {epochs: [6], base_lrs: [0.001]},
                  fitness: {method: holdout}}
                output: %s
                """.formatted(dir.resolve("out"))));
        return exp;
    }

    @BeforeAll
    void startExecutor() throws Exception {
        dir = Files.createTempDirectory("graft-contract");
        template = new TrialRequest.Template("contract", TrialRequest.Experiment.of(experiment(dir)), 5, 0);
        // the truth: the same request run in this JVM, by the engine without any executor around it
        reference = new TrialRunner().run(template.at(0, FIRST, false), (e, v) -> true);
        assertEquals(TrialState.COMPLETE, reference.state(), reference.message());
        executor = start();
    }

    /** The executor {@link #start} made, for an implementation's own checks. */
    protected TrialExecutor executor() {
        return executor;
    }

    /** Stops what {@link #start} started besides the executor; runs after the executor closed. */
    protected void stopped() {
    }

    @AfterAll
    void stopExecutor() {
        if (executor != null) {
            executor.close();
        }
        stopped();
    }

    @Test
    void aTrialEndsAsInProcessWithEveryEpochInOrder() {
        List<Integer> epochs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        TrialResult r = executor.execute(template.at(1, FIRST, false), (e, v) -> {
            epochs.add(e);
            values.add(v);
            return true;
        });
        assertEquals(TrialState.COMPLETE, r.state(), r.message());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs);
        assertEquals(values, r.intermediate());
        assertEquals(reference.value(), r.value(), 1e-6, "seeded: the same value as in-process");
        assertEquals(reference.intermediate().size(), r.intermediate().size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(reference.intermediate().get(i), r.intermediate().get(i), 1e-6, "epoch " + i);
        }
        assertTrue(r.run() != null && r.run().path("epochs").asInt() == 6, "the run record travels: " + r.run());
        TrialResult back = TrialCodec.decode(TrialCodec.encode(r), TrialResult.class);
        assertEquals(r.value(), back.value());
        assertEquals(r.intermediate(), back.intermediate());
        assertEquals(r.run().toString(), back.run().toString());
    }

    @Test
    void aStopIsObeyedWithinOneEpoch() {
        List<Integer> heard = Collections.synchronizedList(new ArrayList<>());
        TrialResult r = executor.execute(template.at(2, FIRST, true), (e, v) -> {
            heard.add(e);
            return e < 2;
        });
        assertEquals(TrialState.PRUNED, r.state(), r.message());
        assertEquals(List.of(0, 1, 2), heard, "no epoch after the one answered 'stop'");
        assertEquals(3, r.intermediate().size());
    }

    @Test
    void aBrokenExperimentFailsOnlyItsTrialInOneLine() {
        TrialRequest.Experiment broken = new TrialRequest.Experiment(dir.resolve("broken.yaml").toString(),
                "name: broken\nmodel: nowhere.yaml\n", TrialRequest.Experiment.sha256("name: broken\nmodel: nowhere.yaml\n"));
        TrialResult r = executor.execute(new TrialRequest.Template("broken", broken, 5, 0).at(3, FIRST, false),
                (e, v) -> true);
        assertEquals(TrialState.FAILED, r.state());
        assertTrue(r.message().startsWith("cannot prepare " + broken.path()), r.message());
        assertFalse(r.message().contains("\n"), r.message());
        TrialResult after = executor.execute(template.at(4, SECOND, false), (e, v) -> true);
        assertEquals(TrialState.COMPLETE, after.state(), "the executor goes on: " + after.message());
    }

    @Test
    void asManyTrialsAsItsParallelismRunAtOnce() throws Exception {
        int n = executor.parallelism();
        List<TrialResult> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TrialRequest r = template.at(10 + i, i == 0 ? FIRST : SECOND, false);
            Thread t = new Thread(() -> results.add(executor.execute(r, (e, v) -> true)));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(n, results.size());
        for (TrialResult r : results) {
            assertEquals(TrialState.COMPLETE, r.state(), r.message());
            assertTrue(r.value() >= 0 && r.value() <= 1);
        }
        TrialResult first = results.stream().filter(r -> r.id().endsWith("-10")).findFirst().orElseThrow();
        assertEquals(reference.value(), first.value(), 1e-6);
        assertArrayEquals(reference.objectives(), first.objectives());
    }
}
