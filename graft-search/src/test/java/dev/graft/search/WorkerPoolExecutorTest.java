package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs under the driver's retry rule ({@link TrialAttempts}): a killed worker costs its trial
 * one attempt and is replaced; one that cannot start fails only its trial. (What every executor does
 * is {@link WorkerPoolContractTest}.)
 */
class WorkerPoolExecutorTest {
    @TempDir
    Path dir;

    private TrialRequest request(int[] point) throws Exception {
        return new TrialRequest.Template("pool", TrialRequest.Experiment.of(TrialExecutorContract.experiment(dir)), 5, 0)
                .at(0, point, true);
    }

    @Test
    void aKilledWorkerFailsNothingButIsReplacedAndTheTrialRetriedWithEachEpochToldOnce() throws Exception {
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(1, 2)) {
            long first = pool.pids().get(0);
            AtomicBoolean killed = new AtomicBoolean();
            List<Integer> epochs = new ArrayList<>();
            TrialResult e = TrialAttempts.execute(pool, request(new int[16]), (epoch, v) -> {
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
            assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs, "the retry's repeated epochs are told once");
            assertEquals(6, e.intermediate().size(), "the result is the retry's, from the start");
        }
    }

    /**
     * Ctrl-C reaches the worker JVMs with the driver (one process group): a worker lost while the
     * driver stops is neither retried nor told FAILED; the trial is left for --resume.
     */
    @Test
    void aWorkerLostWhileTheDriverStopsEndsTheSearchWithoutARetry() throws Exception {
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(1, 2)) {
            long first = pool.pids().get(0);
            AtomicBoolean stopping = new AtomicBoolean();
            List<Integer> epochs = new ArrayList<>();
            org.junit.jupiter.api.Assertions.assertThrows(SearchStoppedException.class,
                    () -> TrialAttempts.execute(pool, request(new int[16]), (epoch, v) -> {
                        epochs.add(epoch);
                        if (epoch == 1) {
                            stopping.set(true);
                            ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
                        }
                        return true;
                    }, stopping::get));
            assertEquals(List.of(0, 1), epochs, "no second attempt");
            assertTrue(pool.pids().isEmpty(), "no worker was started again");
        }
    }

    @Test
    void aWorkerThatCannotStartFailsOnlyItsTrialWithOneLine() throws Exception {
        try (WorkerPoolExecutor pool = new WorkerPoolExecutor(List.of("sh", "-c", "exit 1"), 1, 1)) {
            TrialResult e = TrialAttempts.execute(pool, request(new int[16]), (x, v) -> true);
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
            TrialResult e = TrialAttempts.execute(pool, request(new int[16]), (x, v) -> true);
            assertEquals(TrialState.COMPLETE, e.state(), e.message());
            assertEquals(0.5, e.value());
            assertEquals(1, pool.pids().size());
        }
    }
}
