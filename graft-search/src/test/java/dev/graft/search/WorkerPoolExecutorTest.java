package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker JVMs: parallel trials, and a killed worker failing only its trial, retried once. */
class WorkerPoolExecutorTest {
    @TempDir
    Path dir;

    static Path experiment(Path dir) throws IOException {
        Path exp = dir.resolve("search.yaml");
        Files.writeString(exp, SearchFixtures.experiment("workers", 5, """
                search: {sampler: random, trials: 4, shots: 5, genes: {epochs: [6], base_lrs: [0.001]},
                  fitness: {method: holdout}}
                output: %s
                """.formatted(dir.resolve("out"))));
        return exp;
    }

    @Test
    void twoWorkersEvaluateTrialsAtOnce() throws Exception {
        Path exp = experiment(dir);
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(exp, 2, 1)) {
            assertEquals(2, pool.parallelism());
            assertEquals(2, pool.pids().size());
            List<TrialExecutor.Evaluation> results = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            int[][] points = {new int[16], new int[16]};
            points[1][0] = 2;
            for (int[] p : points) {
                Thread t = new Thread(() -> results.add(pool.evaluate(p, (e, v) -> true)));
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(2, results.size());
            for (TrialExecutor.Evaluation e : results) {
                assertEquals(TrialState.COMPLETE, e.state(), e.message());
                assertTrue(e.value() >= 0 && e.value() <= 1);
            }
        }
    }

    @Test
    void epochValuesArriveInOrderBatchedWithoutAPrunerAndOneByOneWithOne() throws Exception {
        Path exp = experiment(dir);
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(exp, 1, 1)) {
            List<Integer> epochs = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            TrialExecutor.Evaluation all = pool.evaluate(new int[16], TrialExecutor.EpochCallback.recording((v, e) -> {
                epochs.add(e);
                values.add(v);
            }));
            assertEquals(TrialState.COMPLETE, all.state(), all.message());
            assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs);
            assertEquals(all.value(), values.get(values.size() - 1), "the last epoch's value is the trial's");
            List<Integer> heard = new ArrayList<>();
            TrialExecutor.Evaluation pruned = pool.evaluate(new int[16], (e, v) -> {
                heard.add(e);
                return e < 2;
            });
            assertEquals(TrialState.PRUNED, pruned.state(), pruned.message());
            assertEquals(List.of(0, 1, 2), heard, "the worker stops when told to");
        }
    }

    @Test
    void aKilledWorkerFailsNothingButIsReplacedAndTheTrialRetried() throws Exception {
        Path exp = experiment(dir);
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(exp, 1, 2)) {
            long first = pool.pids().get(0);
            AtomicBoolean killed = new AtomicBoolean();
            List<Integer> epochs = new ArrayList<>();
            TrialExecutor.Evaluation e = pool.evaluate(new int[16], (epoch, v) -> {
                epochs.add(epoch);
                if (epoch == 1 && killed.compareAndSet(false, true)) {
                    ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
                }
                return true;
            });
            assertTrue(killed.get());
            assertEquals(TrialState.COMPLETE, e.state(), "retried on a fresh worker: " + e.message());
            assertEquals(1, pool.pids().size());
            assertNotEquals(first, pool.pids().get(0), "the dead worker was replaced");
            assertTrue(epochs.size() > 6, "the trial ran again from the start: " + epochs);
            TrialExecutor.Evaluation after = pool.evaluate(new int[16], (x, v) -> true);
            assertEquals(TrialState.COMPLETE, after.state());
        }
    }

    @Test
    void aWorkerThatDiesWhileStartingFailsOnlyItsTrialWithOneLine() throws Exception {
        // the worker cannot read its experiment, so every start dies
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(dir.resolve("missing.yaml"), 1, 1)) {
            TrialExecutor.Evaluation e = pool.evaluate(new int[16], (x, v) -> true);
            assertEquals(TrialState.FAILED, e.state());
            assertEquals("a worker JVM died while starting (exit code 1); gave up after 3 attempts", e.message());
        }
    }

    @Test
    void aWorkerThatDiesOnceWhileStartingIsStartedAgain() throws Exception {
        Path marker = dir.resolve("started-once");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the first start dies at once; later ones are a working (stand-in) worker
        List<String> command = List.of("sh", "-c", "if [ -e \"$1\" ]; then exec \"$2\" -cp \"$3\" "
                + FakeWorker.class.getName() + "; else touch \"$1\"; exit 3; fi", "worker", marker.toString(), java,
                System.getProperty("java.class.path"));
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(command, 1, 1)) {
            assertTrue(pool.pids().isEmpty(), "the first start died");
            TrialExecutor.Evaluation e = pool.evaluate(new int[16], (x, v) -> true);
            assertEquals(TrialState.COMPLETE, e.state(), e.message());
            assertEquals(1, pool.pids().size());
        }
    }
}
