package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search's driver stopped mid-search, on a Spark standalone cluster on 127.0.0.1, and resumed on
 * it from the journal; and an executor that cannot start, which must leave the journal alone.
 */
class SparkDriverResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIALS = 6;

    @TempDir
    Path dir;

    private Path experiment(String name) throws java.io.IOException {
        Path exp = dir.resolve(name + ".yaml");
        Files.writeString(exp, SearchFixtures.experiment("spark-resume", 5, """
                search: {sampler: random, trials: %d, shots: 5, seed: 7, genes: {epochs: [8], base_lrs: [0.001]},
                  fitness: {method: holdout}, selection: {hand_strategies: false}}
                output: %s
                """.formatted(TRIALS, dir.resolve(name))));
        return exp;
    }

    private static SearchRunner.Outcome search(Path exp, boolean resume, SearchRunner.ExecutorFactory executors)
            throws java.io.IOException {
        var c = ExperimentLoader.read(exp);
        Prepared p = ExperimentRunner.prepare(c, exp, ExperimentRunner.Progress.NONE);
        return SearchRunner.run(p, SearchSettings.of(c, "test"), resume, executors,
                (t, summary, best, finished, total, eta) -> { });
    }

    /** Each tell's trial number and state, in the journal's order. */
    private static List<JsonNode> tells(Path journal) throws java.io.IOException {
        List<JsonNode> tells = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode n = JSON.readTree(line);
            if ("tell".equals(n.path("event").asText())) {
                tells.add(n);
            }
        }
        return tells;
    }

    private static List<String> points(List<Trial> trials) {
        return trials.stream().filter(t -> t.state().finished()).map(t -> Arrays.toString(t.point())).sorted().toList();
    }

    /**
     * Found by the lead: SIGTERM on the driver let Spark's shutdown hook stop its context, and every
     * running trial (and every trial asked after) was told FAILED, so --resume took them as finished.
     * Now the running trials stay unfinished, and the resumed search on the cluster runs them again:
     * every trial is told once, all complete, and the search evaluates the points an uninterrupted
     * search in one JVM evaluates (the random sampler is seeded and replayed from the journal).
     */
    @Test
    void aDriverStoppedMidSearchResumesOnTheClusterTellingEachTrialOnce() throws Exception {
        SearchRunner.Outcome local = search(experiment("local"), false, SearchRunner.ExecutorFactory.LOCAL);
        Path exp = experiment("spark");
        Path journal = dir.resolve("spark/search/search.jsonl");
        try (LoopbackCluster cluster = new LoopbackCluster(2, 1024)) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1"));
            cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkSearchMain.class.getName(),
                    exp.toString(), cluster.url(), "2"));
            Path log = dir.resolve("driver.log");
            Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean midSearch = false;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && driver.isAlive() && !midSearch) {
                    if (Files.exists(journal)) {
                        List<String> lines = Files.readAllLines(journal);
                        long asks = lines.stream().filter(l -> l.contains("\"event\":\"ask\"")).count();
                        long told = lines.stream().filter(l -> l.contains("\"event\":\"tell\"")).count();
                        // one trial told, and trials running (asked, not told)
                        midSearch = told >= 1 && asks > told && told < TRIALS - 1;
                    }
                    Thread.sleep(20);
                }
                // SIGTERM, as a user's kill or a scheduler's stop: the JVM runs its shutdown hooks (Spark's)
                driver.destroy();
                assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "the driver exits on SIGTERM");
            } finally {
                driver.destroyForcibly();
            }
            assertTrue(midSearch, "the driver reached the middle of the search: " + Files.readString(log));
            TrialJournal.Replay stopped = TrialJournal.read(journal);
            for (JsonNode t : tells(journal)) {
                assertEquals("COMPLETE", t.path("state").asText(), "a trial stopped with its driver is not told: " + t);
            }
            assertTrue(stopped.finished().size() < TRIALS, "the search was stopped before its end");
            assertFalse(stopped.interrupted().isEmpty(), "the running trials are left for --resume");

            SearchRunner.Outcome resumed = search(exp, true,
                    (requests, objective) -> new SparkExecutor(cluster.url(), 2, 1024));
            TrialJournal.Replay done = TrialJournal.read(journal);
            assertTrue(done.interrupted().isEmpty(), "every interrupted trial ran again");
            Map<Integer, Integer> told = new HashMap<>();
            for (JsonNode t : tells(journal)) {
                told.merge(t.path("trial").asInt(), 1, Integer::sum);
                assertEquals("COMPLETE", t.path("state").asText(), t.toString());
            }
            told.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " told " + n + " times"));
            assertEquals(TRIALS, done.finished().stream().filter(t -> !TrialBudget.CACHED.equals(t.message())).count(),
                    "as many evaluated trials as an uninterrupted search");
            assertEquals(points(local.trials()), points(resumed.trials()),
                    "the points of an uninterrupted search, each evaluated once");
        }
    }

    /**
     * An executor that cannot start (here: a master that went away after the URL was checked) ends
     * the search before its journal is opened, so a later run, in this JVM or on a good cluster,
     * starts as if it had not happened.
     */
    @Test
    void anExecutorThatCannotStartLeavesNoJournal() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "spark://127.0.0.1:" + port;
        Path exp = experiment("gone");
        Files.writeString(exp, Files.readString(exp).replace("trials: " + TRIALS, "trials: 2")
                .replace("epochs: [8]", "epochs: [2]"));
        dev.graft.GraftInputException e = assertThrows(dev.graft.GraftInputException.class, () -> search(exp, false,
                (requests, objective) -> ExecutorProvider.factory(url, 1, 1).create(requests, objective)));
        assertTrue(e.getMessage().startsWith("--executor " + url + ": no Spark master answered"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("gone/search/search.jsonl")), "no journal was started");
        SearchRunner.Outcome after = search(exp, false, SearchRunner.ExecutorFactory.LOCAL);
        assertEquals(2, after.trials().size());
    }
}
