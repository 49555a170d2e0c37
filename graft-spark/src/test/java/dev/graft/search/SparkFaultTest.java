package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.spark.LoopbackCluster;
import dev.graft.spark.SparkExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search on a real Spark standalone cluster on 127.0.0.1 (a master and two workers, each its own
 * JVM) survives an executor JVM killed with SIGKILL in the middle of a trial: the search completes,
 * every trial is told once in the journal, and every trial's point and value equal those of the same
 * search run in this JVM (random sampler and training are seeded).
 */
class SparkFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String experiment(Path out) {
        return SearchFixtures.experiment("spark-fault", 5, """
                search: {sampler: random, trials: 5, shots: 5, seed: 7, genes: {epochs: [4], base_lrs: [0.001]},
                  fitness: {method: holdout}, selection: {hand_strategies: false}}
                output: %s
                """.formatted(out));
    }

    private SearchRunner.Outcome search(String name, SearchRunner.ExecutorFactory executors) throws Exception {
        Path exp = dir.resolve(name + ".yaml");
        Files.writeString(exp, experiment(dir.resolve(name)));
        var c = ExperimentLoader.read(exp);
        Prepared p = ExperimentRunner.prepare(c, exp, ExperimentRunner.Progress.NONE);
        return SearchRunner.run(p, SearchSettings.of(c, "test"), false, executors,
                (t, summary, best, finished, total, eta) -> { });
    }

    @Test
    void aKilledExecutorCostsOneRetryOfItsTrialAndNothingElse() throws Exception {
        SearchRunner.Outcome local = search("local", SearchRunner.ExecutorFactory.LOCAL);
        AtomicLong killed = new AtomicLong(-1);
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        SearchRunner.Outcome spark;
        try (LoopbackCluster cluster = new LoopbackCluster(2, 1024)) {
            spark = search("spark", (requests, objective) -> new KillingExecutor(
                    new SparkExecutor(cluster.url(), 2, 1024), cluster, killed, lost));
        }
        assertTrue(killed.get() > 0, "an executor JVM was killed mid-trial");
        assertEquals(1, lost.get(), "one trial was lost once (and retried by the driver, not by Spark too)");
        assertEquals(local.trials().size(), spark.trials().size());
        for (int i = 0; i < local.trials().size(); i++) {
            Trial l = local.trials().get(i);
            Trial s = spark.trials().get(i);
            assertEquals(l.number(), s.number());
            assertArrayEquals(l.point(), s.point(), "trial " + l.number());
            assertEquals(TrialState.COMPLETE, s.state(), "trial " + s.number() + ": " + s.message());
            assertEquals(l.value(), s.value(), 1e-6, "trial " + s.number());
            assertEquals(l.intermediate(), s.intermediate(), "trial " + s.number() + ": each epoch told once");
        }
        Map<Integer, Integer> tells = new HashMap<>();
        for (String line : Files.readAllLines(spark.journal())) {
            JsonNode n = JSON.readTree(line);
            if ("tell".equals(n.path("event").asText())) {
                tells.merge(n.path("trial").asInt(), 1, Integer::sum);
            }
        }
        assertEquals(spark.trials().size(), tells.size());
        tells.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " told " + n + " times"));
    }

    /** Passes trials to Spark and, at the first second epoch it hears, SIGKILLs an executor JVM; counts lost trials. */
    private record KillingExecutor(SparkExecutor spark, LoopbackCluster cluster, AtomicLong killed,
            java.util.concurrent.atomic.AtomicInteger lost) implements TrialExecutor {
        @Override
        public TrialResult execute(TrialRequest request, EpochCallback callback) {
            try {
                return run(request, callback);
            } catch (TrialLostException e) {
                lost.incrementAndGet();
                throw e;
            }
        }

        private TrialResult run(TrialRequest request, EpochCallback callback) {
            return spark.execute(request, (epoch, value) -> {
                if (epoch == 1) {
                    synchronized (killed) {
                        List<Long> pids = cluster.executorPids();
                        if (killed.get() < 0 && !pids.isEmpty()) {
                            killed.set(pids.get(0));
                            ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                }
                return callback.onEpoch(epoch, value);
            });
        }

        @Override
        public int parallelism() {
            return spark.parallelism();
        }

        @Override
        public void close() {
            spark.close();
        }
    }
}
