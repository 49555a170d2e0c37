package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.search.TrialJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graft search}: trial lines, results, and resuming after SIGKILL. */
class SearchCommandTest {
    @TempDir
    Path dir;

    private Path experiment(int trials, String sampler) throws IOException {
        return CliFixtures.experiment(dir, "search", """
                  validation_per_class: 5
                  normalize: {mean: [0.286], std: [0.353]}
                train: {batch_size: 25, epochs: 4}
                search:
                  sampler: %s
                  trials: %d
                  shots: 5
                  genes: {epochs: [4], base_lrs: [0.001]}
                """.formatted(sampler, trials));
    }

    static CommandLineTest.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandLineTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void printsATrialLinePerTrialAndWritesTheBestPolicy() throws IOException {
        CommandLineTest.Run r = run("search", experiment(5, "genetic").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[5/5] trial"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("[1/5] trial") && l.contains(" ± ")),
                "each trial's value with its standard error: " + r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("policy notation: one letter per layer group "
                + "(features.0 features.4 classifier.1 classifier.4): S re-initialized")).count(),
                "the notation's legend, once: " + r.out());
        assertTrue(r.out().contains("test (measured once): accuracy"), r.out());
        // the default estimator and rule, the chosen one's estimate ± standard error and its rank
        assertTrue(r.out().contains("\nchosen (shrinkage rule, estimated by 2-fold cross-validation): "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("chosen (") && l.contains(" ± 0.")
                && l.contains(" among the hand strategies")), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/search/results.json").toFile());
        assertEquals("kfold", json.path("fitness").path("method").asText());
        assertTrue(json.path("best").path("refit").asText().startsWith("all 50 labelled images"),
                json.path("best").toString());
        assertTrue(json.path("best").path("stderr").asDouble() > 0);
        assertTrue(json.path("trials").get(0).path("stderr").asDouble() > 0);
        int candidates = json.path("selection").path("candidates").size();
        assertTrue(candidates >= 7 && candidates <= 11, "up to 5 distinct policies and 6 hand strategies: " + candidates);
        assertEquals(5, json.path("trials").size());
        assertEquals(18, json.path("best").path("transfer_report").path("tensors").size());
        assertTrue(json.path("best").path("test").path("accuracy").asDouble() > 0);
        assertEquals(5, TrialJournal.read(dir.resolve("out/search/search.jsonl")).finished().size());
        assertEquals(5, json.path("trace").path("trials").size());
        assertTrue(r.out().contains("report: " + dir.resolve("out/search/report.html")), r.out());
        assertTrue(Files.readString(dir.resolve("out/search/report.html")).contains("<section id=\"policy-search\">"));
        CommandLineTest.Run again = run("search", experiment(5, "genetic").toString());
        assertEquals(2, again.code(), "an existing journal is never overwritten");
        assertTrue(again.err().contains("--resume"), again.err());
    }

    @Test
    void aSearchKilledMidTrialResumesLosingOnlyThatTrial() throws Exception {
        Path exp = experiment(8, "annealing");
        Path journal = dir.resolve("out/search/search.jsonl");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "dev.graft.cli.Main", "search",
                "--quiet", exp.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean midTrial = false;
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(journal)) {
                List<String> lines = Files.readAllLines(journal).stream().filter(l -> !l.isBlank()).toList();
                long tells = lines.stream().filter(l -> l.contains("\"event\":\"tell\"")).count();
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                // a trial is running while the last record is its ask
                if (tells >= 2 && last.contains("\"event\":\"ask\"")) {
                    midTrial = true;
                    break;
                }
            }
            Thread.sleep(20);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(midTrial, "the child reached the middle of a trial: " + Files.readString(dir.resolve("child.log")));
        TrialJournal.Replay killed = TrialJournal.read(journal);
        // the running trial is lost (none, if it happened to finish between the check and the kill)
        assertTrue(killed.interrupted().size() <= 1, "at most the running trial is lost");
        int before = killed.finished().size();
        assertTrue(before >= 2 && before < 8);

        CommandLineTest.Run resumed = run("search", "--resume", exp.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed " + before + " finished trials"), resumed.out());
        TrialJournal.Replay done = TrialJournal.read(journal);
        // a trial answered from the memo ("cached") costs no budget, here as in an uninterrupted run
        assertEquals(8, done.finished().stream().filter(t -> !"cached".equals(t.message())).count(),
                "as many evaluated trials as an uninterrupted run");
        assertEquals(done.finished().size(), done.finished().stream().map(t -> t.number()).distinct().count(),
                "no trial number reused");
        assertTrue(done.interrupted().isEmpty());
    }

    @Test
    void aTimeLimitStopsStartingTrialsAndTheResultsSayHowLongTheSearchTook() throws IOException {
        Path exp = experiment(1000, "random");
        Files.writeString(exp, Files.readString(exp).replace("  trials: 1000\n", "  trials: 1000\n  timeout_s: 3\n"));
        CommandLineTest.Run r = run("search", exp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/search/results.json").toFile());
        int trials = json.path("trials").size();
        // how many trials fit in 3 s depends on the machine's load; that none starts after the limit does not
        assertTrue(trials >= 1 && trials < 1000, "trials: " + trials);
        assertTrue(r.out().contains("stopped after " + trials + " of 1000 trials"), r.out());
        double seconds = json.path("search_seconds").asDouble();
        // the limit stops new trials; the one running when it passed finishes
        assertTrue(seconds >= 3 && seconds < 20, "search seconds: " + seconds);
        List<String> tells = Files.readAllLines(dir.resolve("out/search/search.jsonl")).stream()
                .filter(l -> l.contains("\"event\":\"tell\"")).toList();
        assertEquals(trials, tells.size());
        assertTrue(tells.stream().allMatch(l -> l.contains("\"at_ms\":")), tells.get(0));
        // the clock starts before the journal's first line, so every trial was asked for within 3 s of it
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> events = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out/search/search.jsonl"))) {
            events.add(m.readTree(l));
        }
        long opened = events.get(0).path("at_ms").asLong();
        assertEquals("study", events.get(0).path("event").asText());
        for (JsonNode e : events) {
            if (e.path("event").asText().equals("ask")) {
                assertTrue(e.path("at_ms").asLong() - opened <= 3_050, "asked after the limit: " + e);
            }
        }
    }

    @Test
    void compareRunsSearchesBesideHandStrategies() throws IOException {
        Path exp = experiment(3, "tpe");
        Files.writeString(exp, Files.readString(exp) + """
                strategies: [full, {name: tpe-3, base: tpe, trials: 3}, {name: random, trials: 2},
                  {name: best2, base: ensemble, ensemble: {search: random, trials: 3, top: 2, vote: majority}}]
                shots: [5]
                seeds: [0]
                """);
        CommandLineTest.Run r = run("compare", exp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*tpe-3\\s+5\\s+0\\.\\d{3}.*"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertEquals(4, json.path("runs").size());
        assertEquals("majority of 2: the best 2 policies of random", json.path("runs").get(3).path("message").asText());
        assertTrue(json.path("runs").get(3).path("test").path("accuracy").asDouble() > 0.2);
        assertTrue(json.path("runs").get(1).path("message").asText().startsWith("chosen of 3 trials and 6 hand "
                + "strategies by 2-fold cross-validation, refitted on every labelled image: "),
                json.path("runs").get(1).path("message").asText());
        assertEquals(3, json.path("runs").get(1).path("search").path("trials").size());
        assertEquals("tpe", json.path("runs").get(1).path("search").path("sampler").asText());
        assertTrue(Files.readString(dir.resolve("out/report.html")).contains("<section id=\"search\">"));
    }

    @Test
    void workersRunTrialsInTheirOwnJvms() throws IOException {
        CommandLineTest.Run r = run("search", experiment(4, "random").toString(), "--workers", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 worker JVMs with 1 PyTorch threads each"), r.out());
        assertTrue(r.out().contains("[4/4]"), r.out());
        assertEquals(4, TrialJournal.read(dir.resolve("out/search/search.jsonl")).finished().size());
    }

    @Test
    void nsga2SearchesThreeObjectivesAndPrintsAndSavesTheParetoFront() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path exp = CliFixtures.experiment(dir, "pareto", """
                  validation_per_class: 5
                  normalize: {mean: [0.286], std: [0.353]}
                retention:
                  data:
                    train_images: %1$s/data/fashion/source-train-images-idx3-ubyte.gz
                    train_labels: %1$s/data/fashion/source-train-labels-idx1-ubyte.gz
                    test_images: %1$s/data/fashion/source-test-images-idx3-ubyte.gz
                    test_labels: %1$s/data/fashion/source-test-labels-idx1-ubyte.gz
                    classes: [0, 1, 3, 5, 8]
                    validation_per_class: 10
                    normalize: {mean: [0.286], std: [0.353]}
                  test_per_class: 50
                train: {batch_size: 25, epochs: 4}
                search:
                  sampler: nsga2
                  trials: 8
                  shots: 5
                  objectives: [target, retention, parameters]
                  genetic: {population: 4}
                  genes: {epochs: [3], base_lrs: [0.001]}
                """.formatted(root));
        CommandLineTest.Run r = run("search", exp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Pareto front: "), r.out());
        assertTrue(r.out().matches("(?s).*target 0\\.\\d{4}  retention 0\\.\\d{4}  parameters [\\d,]+.*"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/search/results.json").toFile());
        assertEquals(List.of("target", "retention", "parameters"),
                List.of(json.path("objectives").get(0).asText(), json.path("objectives").get(1).asText(),
                        json.path("objectives").get(2).asText()));
        JsonNode front = json.path("pareto");
        assertTrue(front.size() >= 1);
        // no front member is dominated by any evaluated trial
        for (JsonNode f : front) {
            for (JsonNode t : json.path("trials")) {
                if (!t.has("objectives")) {
                    continue;
                }
                JsonNode a = t.path("objectives");
                JsonNode b = f.path("objectives");
                boolean noWorse = a.path("target").asDouble() >= b.path("target").asDouble()
                        && a.path("retention").asDouble() >= b.path("retention").asDouble()
                        && a.path("parameters").asDouble() <= b.path("parameters").asDouble();
                boolean better = a.path("target").asDouble() > b.path("target").asDouble()
                        || a.path("retention").asDouble() > b.path("retention").asDouble()
                        || a.path("parameters").asDouble() < b.path("parameters").asDouble();
                assertTrue(!(noWorse && better), "trial " + t.path("trial") + " dominates " + f.path("trial"));
            }
        }
        assertTrue(Files.readString(dir.resolve("out/search/report.html")).contains("<h3>Pareto front</h3>"));
    }

    @Test
    void aWeightedEnergyOfTargetParametersAndLatencyIsWhatTheSamplerMaximizes() throws IOException {
        Path exp = experiment(3, "annealing");
        Files.writeString(exp, Files.readString(exp).replace("  trials: 3\n", """
                  trials: 3
                  objectives: [target, parameters, latency]
                  weights: {latency: 0.1}
                """));
        CommandLineTest.Run r = run("search", exp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/search/results.json").toFile());
        for (JsonNode t : json.path("trials")) {
            JsonNode o = t.path("objectives");
            double latency = o.path("latency").asDouble();
            assertTrue(latency > 0 && latency < 50, "milliseconds per sample: " + latency);
            // the CNN trains at most 421,189 parameters
            double energy = (1 - o.path("target").asDouble()) + o.path("parameters").asDouble() / 421_189 + 0.1 * latency;
            assertEquals(-energy, t.path("value").asDouble(), 1e-9, t.toString());
        }
        assertEquals("-energy", json.path("trace").path("metric").asText());
    }

    @Test
    void aSecondSearchOnTheSameFolderExitsTwoNamingTheHolder() throws Exception {
        Path exp = experiment(2, "random");
        Path folder = dir.resolve("out/search");
        Files.createDirectories(folder);
        // another run holds the folder: the lock a running search takes, with its pid inside
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(folder.resolve(".graft.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = ch.lock()) {
            ch.write(java.nio.ByteBuffer.wrap("777\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            for (String[] args : List.of(new String[] {"search", exp.toString()},
                    new String[] {"search", "--resume", exp.toString()})) {
                CommandLineTest.Run r = run(args);
                assertEquals(2, r.code(), r.err());
                assertEquals("graft: " + folder + ": folder in use (pid 777); wait for that run to end, or use another "
                        + "output folder", r.err().strip());
            }
        }
        assertTrue(!Files.exists(folder.resolve("search.jsonl")) && !Files.exists(folder.resolve("results.json")),
                "the refused runs wrote nothing");
    }
}
