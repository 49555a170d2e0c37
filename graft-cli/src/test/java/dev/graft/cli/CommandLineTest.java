package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.provenance.Provenance;
import dev.graft.transfer.TransferOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line end to end: outputs, exit codes, error lines and atomic outputs. */
class CommandLineTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path FIXTURES = Path.of("..", "graft-core", "src", "test", "resources", "fixtures");
    static final String SOURCE = EXAMPLES.resolve("checkpoints/small-cnn-source.safetensors").toString();
    static final String TARGET = EXAMPLES.resolve("specs/small-cnn-target.yaml").toString();
    static final String RULES = EXAMPLES.resolve("plans/fine-grained.yaml").toString();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void helpListsEveryCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : List.of("inspect", "plan", "transfer", "convert", "train", "compare", "search", "report",
                "score", "demo", "predict", "spec", "export")) {
            assertTrue(r.out().contains(c), c);
            Run h = run(c, "--help");
            assertEquals(0, h.code(), c);
            assertTrue(h.out().contains("Usage: graft " + c), h.out());
        }
    }

    @Test
    void inspectListsTensorsTotalsAndHash() throws IOException {
        Run r = run("inspect", SOURCE);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sha256 " + Checkpoints.sha256(Path.of(SOURCE))));
        assertTrue(r.out().matches("(?s).*classifier\\.1\\.weight\\s+F32\\s+\\[128, 3136\\]\\s+401408.*"), r.out());
        assertTrue(r.out().contains("18 tensors, 421383 parameters"), r.out());
        JsonNode json = new ObjectMapper().readTree(run("inspect", "--json", SOURCE).out());
        assertEquals(18, json.path("tensors").size());
        assertEquals(421383, json.path("totals").path("parameters").asLong());
        assertEquals("pt", json.path("metadata").path("format").asText());
    }

    @Test
    void planPrintsTheReportAndWritesNothing() throws IOException {
        Run r = run("plan", "--source", SOURCE, "--target", TARGET, "--rules", RULES);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("select_units 48/64 by L1"), r.out());
        assertTrue(r.out().contains("unused source tensors (2): classifier.4.weight, classifier.4.bias"), r.out());
        JsonNode json = new ObjectMapper().readTree(
                run("plan", "--source", SOURCE, "--target", TARGET, "--rules", RULES, "--json").out());
        assertEquals(18, json.path("tensors").size());
        assertEquals(150977, json.path("totals").path("frozen").asLong());
        assertTrue(files().isEmpty());
    }

    @Test
    void transferWritesACheckpointWithProvenance() throws IOException {
        Path out = dir.resolve("t.safetensors");
        Run r = run("transfer", "--source", SOURCE, "--target", TARGET, "--rules", RULES, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(out), files());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            Provenance p = Provenance.fromJson(f.metadata().get(TransferOutput.PROVENANCE));
            assertEquals(Checkpoints.sha256(Path.of(SOURCE)), p.sourceSha256());
            assertEquals("0.36.0", p.djlVersion());
            assertEquals("2.7.1", p.pytorchVersion());
            assertEquals(System.getProperty("java.version"), p.java());
            assertTrue(f.metadata().get(TransferOutput.PLAN).contains("select_units"));
            assertEquals("small-cnn-target", f.metadata().get(TransferOutput.TARGET));
            assertEquals(18, f.names().size());
        }
        Run inspect = run("inspect", out.toString());
        assertTrue(inspect.out().contains("provenance:"), inspect.out());
        assertTrue(inspect.out().contains("sourceSha256: " + Checkpoints.sha256(Path.of(SOURCE))), inspect.out());
    }

    @Test
    void aFailedTransferLeavesNoFileBehind() throws IOException {
        Path out = dir.resolve("t.safetensors");
        Run r = run("transfer", "--source", SOURCE, "--target", TARGET, "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("graft: target 'features.4.weight' (auto): shape [48, 32, 3, 3] differs"), r.err());
        assertTrue(files().isEmpty(), "no output and no temporary file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "malformed", "badspec", "badplan"})
    void badInputIsOneLineAndExitCode2(String kind) throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "input: [4]\nlayers: [{type: warp}]\n");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "rules: [{match: a, mode: melted}]\n");
        String[] args = switch (kind) {
            case "missing" -> new String[] {"inspect", dir.resolve("nope.safetensors").toString()};
            case "malformed" -> new String[] {"inspect", bad.toString()};
            case "badspec" -> new String[] {"plan", "--source", SOURCE, "--target", spec.toString()};
            default -> new String[] {"plan", "--source", SOURCE, "--target", TARGET, "--rules", plan.toString()};
        };
        Run r = run(args);
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        String file = switch (kind) {
            case "missing" -> "nope.safetensors";
            case "malformed" -> bad.toString();
            case "badspec" -> spec.toString();
            default -> plan.toString();
        };
        assertTrue(r.err().contains(file), r.err());
        String[] verbose = Stream.concat(Stream.of(args), Stream.of("--verbose")).toArray(String[]::new);
        Run v = run(verbose);
        assertEquals(2, v.code());
        assertTrue(v.err().contains("\tat "), "--verbose adds the stack trace");
    }

    /** Before: exit 1 with "failed: java.nio.file.FileSystemException: ...". */
    @Test
    void anUnwritableOutputOrANonCheckpointInputIsOneLineExit2() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Run r = run("transfer", "--source", SOURCE, "--target", TARGET, "--rules", RULES,
                "--out", file.resolve("out.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("graft: " + file), r.err());
        assertFalse(r.err().contains("java."), r.err());

        Run spec = run("inspect", TARGET);
        assertEquals(2, spec.code(), spec.err());
        assertEquals(1, spec.err().lines().count(), spec.err());
        assertTrue(spec.err().contains(TARGET + ": not a checkpoint (looks like YAML text"), spec.err());
    }

    @Test
    void badUsageIsExitCode2() {
        Run r = run("plan", "--source", SOURCE);
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--target"), r.err());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
    }

    @Test
    void convertExportsATorchScriptStateDictWithItsBuffersToSafetensors() throws IOException {
        Path pt = FIXTURES.resolve("bn_cnn.torchscript.pt");
        Run listed = run("inspect", pt.toString());
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("features.4.running_var"), listed.out());
        assertTrue(listed.out().contains("15 tensors"), listed.out());
        Path out = dir.resolve("bn_cnn.safetensors");
        Run r = run("convert", pt.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 15 tensors"), r.out());
        try (SafetensorsFile f = SafetensorsFile.open(out);
                SafetensorsFile ref = SafetensorsFile.open(FIXTURES.resolve("bn_cnn.state_dict.safetensors"))) {
            assertEquals(ref.names(), f.names());
            for (String n : ref.names()) {
                assertTrue(f.read(n).contentEquals(ref.read(n)), n);
            }
            assertTrue(f.metadata().containsKey(TransferOutput.PROVENANCE));
        }
        Path npz = dir.resolve("bn_cnn.npz");
        assertEquals(0, run("convert", out.toString(), "--out", npz.toString()).code());
        assertEquals(2, run("convert", out.toString(), "--out", dir.resolve("x.bin").toString()).code());
    }

    private Path experiment(String name, String rest) throws IOException {
        return CliFixtures.experiment(dir, name, rest);
    }

    @Test
    void compareRunsStrategiesAndWritesResults() throws IOException {
        Path exp = experiment("tiny", """
                  validation_per_class: 5
                  normalize: {mean: [0.286], std: [0.353]}
                train: {epochs: 2, batch_size: 25}
                strategies: [scratch, full, {name: slow, base: full, train: {lr: 0.0001}}]
                shots: [5]
                seeds: [0, 1]
                """);
        Run r = run("compare", exp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[6/6]"), r.out());
        assertTrue(r.out().matches("(?s).*slow\\s+5\\s+0\\.\\d{3} ± 0\\.\\d{3}.*"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertEquals(6, json.path("runs").size());
        assertEquals(3, json.path("summary").size());
        assertEquals(5, json.path("runs").get(0).path("test").path("confusion").size());
        // every run says what it did to each of the CNN's six parameterized layers
        assertEquals(6, json.path("runs").get(0).path("transfer").size());
        assertEquals("re-initialized", json.path("runs").get(0).path("transfer").get(0).path("decision").asText());
        assertEquals("fine-tuned", json.path("runs").get(1).path("transfer").get(0).path("decision").asText());
        Path report = dir.resolve("out/report.html");
        assertTrue(r.out().contains("report: " + report), r.out());
        String html = Files.readString(report);
        assertTrue(html.contains("<section id=\"transfer\">") && html.contains("<section id=\"curves\">"));
        Run bad = run("compare", dir.resolve("missing.yaml").toString());
        assertEquals(2, bad.code());

        Files.delete(report);
        Run again = run("report", dir.resolve("out").toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(html.replaceAll("chart-\\d+", ""), Files.readString(report).replaceAll("chart-\\d+", ""),
                "graft report rebuilds the same page from results.json");
        Run none = run("report", dir.resolve("nothing-here").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("graft: " + dir.resolve("nothing-here") + ": no such folder"), none.err());
        Run empty = run("report", dir.toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().startsWith("graft: " + dir + ": no results.json"), empty.err());
        assertFalse(none.err().contains("at dev.graft"), "no stack trace without --verbose");
    }

    @Test
    void trainWritesACheckpointWithProvenanceAndResults() throws IOException {
        Path exp = experiment("one", """
                train: {epochs: 1, batch_size: 50}
                """);
        Path root = Path.of("..").toAbsolutePath().normalize();
        Run r = run("train", exp.toString(), "--quiet", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test: accuracy"), r.out());
        Path trained = dir.resolve("out/train/full");
        try (SafetensorsFile f = SafetensorsFile.open(trained.resolve("model.safetensors"))) {
            assertEquals("3", f.metadata().get("graft.seed"));
            assertEquals("full", f.metadata().get("graft.strategy"));
            assertTrue(f.metadata().get("graft.train").contains("\"epochs\":1"));
            Provenance p = Provenance.fromJson(f.metadata().get(TransferOutput.PROVENANCE));
            assertEquals(Checkpoints.sha256(root.resolve("examples/checkpoints/fashion-source.safetensors")),
                    p.sourceSha256());
        }
        JsonNode json = new ObjectMapper().readTree(trained.resolve("results.json").toFile());
        assertEquals("completed", json.path("run").path("status").asText().toLowerCase());
        Run cv = run("train", exp.toString(), "--quiet", "--folds", "2");
        assertEquals(0, cv.code(), cv.err());
        assertTrue(cv.out().contains("2-fold cross-validation: accuracy"), cv.out());
        JsonNode cvJson = new ObjectMapper().readTree(dir.resolve("out/cv/full/results.json").toFile());
        assertEquals(2, cvJson.path("cross_validation").path("folds").size());
        assertEquals(json, new ObjectMapper().readTree(trained.resolve("results.json").toFile()),
                "each command writes its own folder: cross-validation leaves the fine-tune's results alone");

        // graft report reads every kind of folder: before, a train folder was a NullPointerException; its
        // summary said "1 runs: 1 strategies (full) × shots [0]" for one run on the whole pool
        Run trainReport = run("report", trained.toString());
        assertEquals(0, trainReport.code(), trainReport.err());
        String trainHtml = Files.readString(trained.resolve("report.html"));
        assertTrue(trainHtml.contains("<section id=\"comparison\">") && trainHtml.contains("1 run: 1 strategy (full) × shots [all] × 1 seed."),
                trainHtml.substring(0, Math.min(2000, trainHtml.length())));
        Run cvReport = run("report", dir.resolve("out/cv/full").toString());
        assertEquals(0, cvReport.code(), cvReport.err());
        String cvHtml = Files.readString(dir.resolve("out/cv/full/report.html"));
        assertTrue(cvHtml.contains("<section id=\"cross-validation\">") && cvHtml.contains("2-fold stratified"), cvHtml);

        // output: is relative to the experiment's folder, like every other path in it
        Path nested = Files.createDirectories(dir.resolve("nested"));
        Path moved = nested.resolve("exp.yaml");
        Files.writeString(moved, Files.readString(exp).replace("output: " + dir.resolve("out"), "output: rel-out"));
        assertEquals(0, run("train", moved.toString(), "--quiet", "--folds", "2").code());
        assertTrue(Files.isRegularFile(nested.resolve("rel-out/cv/full/results.json")));
        Files.writeString(exp, Files.readString(exp).replace("train: {", "train: {colour: red, "));
        Run bad = run("train", exp.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown key 'train.colour'"), bad.err());
    }

    /** Before: 6 target tensors "have no source tensor and no reinit rule", naming neither file nor strategy. */
    @Test
    void aTransferStrategyWithoutASourceNamesTheExperimentAndTheStrategy() throws IOException {
        Path exp = experiment("nosource", "train: {epochs: 1}\n");
        Files.writeString(exp, Files.readString(exp).replaceAll("(?m)^source: .*\n", ""));
        Run r = run("train", exp.toString(), "--strategy", "full", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(exp + ": strategy 'full' transfers weights") && r.err().contains("has no source"),
                r.err());

        // compare refuses it before scratch trains (before: scratch ran first, then exit 2)
        Path both = experiment("nosource2", "train: {epochs: 1}\nstrategies: [scratch, full]\n");
        Files.writeString(both, Files.readString(both).replaceAll("(?m)^source: .*\n", ""));
        Run c = run("compare", both.toString());
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("strategy 'full' transfers weights"), c.err());
        assertFalse(c.out().contains("[1/"), "nothing trained: " + c.out());
    }

    /** Before: one unusable candidate aborted the whole ranking. */
    @Test
    void scoreRanksTheUsableCandidatesAndReportsTheUnusableOne() throws IOException {
        Path exp = experiment("score2", "");
        Path root = Path.of("..").toAbsolutePath().normalize();
        Run r = run("score", exp.toString(), "--shots", "4", "--source", TARGET, "--source",
                root.resolve("examples/checkpoints/fashion-source.safetensors").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().startsWith("2 candidate sources"), r.out());
        assertTrue(r.out().contains("fashion-source.safetensors"), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("graft: not scored: " + TARGET + ": not a checkpoint"), r.err());
    }

    @Test
    void scoreRanksTheTrainedSourceAboveAFreshModel() throws IOException {
        Path exp = experiment("score", """
                  normalize: {mean: [0.286], std: [0.353]}
                """);
        Path root = Path.of("..").toAbsolutePath().normalize();
        Run r = run("score", exp.toString(), "--shots", "10", "--source",
                root.resolve("examples/checkpoints/fashion-source.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("2 candidate sources on 50 target images (5 classes)"), r.out());
        assertTrue(lines.get(2).startsWith("1     fashion-source.safetensors"), r.out());
        assertTrue(lines.get(3).startsWith("2     none (freshly initialized)"), r.out());
        // a fresh model predicts nearly uniformly: LEEP ≈ log(1/5)
        assertEquals(Math.log(0.2), Double.parseDouble(lines.get(3).trim().split("\\s+")[lines.get(3).trim()
                .split("\\s+").length - 2]), 0.01);
        Run missing = run("score", exp.toString(), "--source", dir.resolve("nope.safetensors").toString());
        assertEquals(2, missing.code());
    }
}
