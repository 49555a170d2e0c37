package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh user's careless or hostile inputs did before (each case names its old behaviour):
 * now every one is exit 2 with one line naming the file, key or option, and nothing half-written.
 */
class CarelessInputTest {
    static final String SOURCE = CommandLineTest.SOURCE;
    static final String TARGET = CommandLineTest.TARGET;

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    private static void oneLine(CommandLineTest.Run r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /** Before: rc 1, "UncheckedIOException: …graft.lock: cannot lock". */
    @Test
    void aSearchWhoseOutputIsUnderAFileNamesThePath() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Path exp = CliFixtures.experiment(dir, "s", """
                  validation_per_class: 5
                search: {trials: 1}
                """);
        Files.writeString(exp, Files.readString(exp).replace("output: " + dir.resolve("out"), "output: " + file));
        oneLine(CommandLineTest.run("search", exp.toString(), "--quiet"), file.toString());
    }

    /** Before: every trial failed alike, then "no trial finished" and a journal left to remove. */
    @Test
    void aSearchWithoutASourceIsRefusedBeforeAnyTrial() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "  validation_per_class: 3\nsearch: {trials: 1}\n"
                + "strategies: [{name: t, base: tpe, trials: 1}]\n");
        Files.writeString(exp, Files.readString(exp).replaceAll("(?m)^source: .*\n", ""));
        // without --quiet too: before, the search's header was printed above the refusal
        CommandLineTest.Run loud = CommandLineTest.run("search", exp.toString());
        oneLine(loud, "search: a policy search decides how the source's weights transfer, but the experiment has no source");
        assertFalse(loud.out().contains("searching"), loud.out());
        oneLine(CommandLineTest.run("compare", exp.toString(), "--quiet"), "strategy 't': a policy search decides");
        assertFalse(Files.exists(dir.resolve("out/search/search.jsonl")));
    }

    /** Before: every trial trained, failed, and only then "no trial finished with a value". */
    @Test
    void aSearchWithoutAValidationSplitIsRefusedBeforeTraining() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "search: {trials: 1}\n");
        oneLine(CommandLineTest.run("search", exp.toString(), "--quiet"), "set data.validation_per_class");
    }

    /**
     * Before: graft train resolved every strategy of the file as a built-in, so a search written
     * {@code base: tpe} refused the whole file ("unknown strategy 'tpe'"), and {@code --strategy}
     * naming a search trained 'full' without searching.
     */
    @Test
    void graftTrainRunsOneStrategyOfAFileWithASearchAndRefusesToTrainTheSearch() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "  validation_per_class: 3\ntrain: {epochs: 1}\n"
                + "strategies: [{name: f, base: full}, {name: t, base: tpe, trials: 2},"
                + " {name: e, base: ensemble, trials: 3, ensemble: {search: tpe}}]\n");
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--strategy", "f");
        assertEquals(0, r.code(), r.err());
        oneLine(CommandLineTest.run("train", exp.toString(), "--strategy", "t"),
                "--strategy t: 'tpe' is not one model trained once; run the experiment with graft compare (or its "
                        + "search section with graft search)");
        oneLine(CommandLineTest.run("compare", exp.toString(), "--quiet"),
                "strategies[2].trials: an ensemble's search takes its budget from ensemble.trials");
        // a sampler the file does not list: before, "no strategy named 'genetic'"
        oneLine(CommandLineTest.run("train", exp.toString(), "--strategy", "genetic"),
                "--strategy genetic: 'genetic' is not one model trained once; run the experiment with graft compare");
    }

    /** Before: the budget was read by nobody and the strategy trained once, exit 0. */
    @Test
    void aTrialBudgetOnAStrategyThatIsNoSearchIsRefused() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "train: {epochs: 1}\nstrategies: [{name: f, base: full, trials: 20}]\n");
        oneLine(CommandLineTest.run("compare", exp.toString(), "--quiet"),
                "strategies[0].trials: only a policy search (base: genetic, annealing, tpe, reinforce, nsga2, random or "
                        + "grid) takes a trial budget; this strategy trains once");
    }

    /** Before: --shots 0 / -1 and shots: [0] silently meant the whole pool; score --shots 0 was an AIOOBE. */
    @Test
    void shotsBelowOneAreRefused() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "train: {epochs: 1}\n");
        oneLine(CommandLineTest.run("train", exp.toString(), "--shots", "0"), "--shots: must be at least 1");
        oneLine(CommandLineTest.run("train", exp.toString(), "--shots", "-1"), "--shots: must be at least 1");
        oneLine(CommandLineTest.run("score", exp.toString(), "--shots", "0"), "--shots: must be at least 1");
        Files.writeString(exp, Files.readString(exp) + "shots: [0]\n");
        oneLine(CommandLineTest.run("train", exp.toString()), "shots: each must be at least 1");
    }

    /** Before: 1.5 was an IndexOutOfBoundsException (exit 1) and 1.0 trained on nothing with exit 0. */
    @Test
    void aValidationFractionOutsideZeroToOneIsRefused() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "  validation_fraction: 1.0\ntrain: {epochs: 1}\n");
        oneLine(CommandLineTest.run("train", exp.toString()), "data.validation_fraction: must be in [0, 1), got 1.0");
    }

    /** Before: 100 folds of 30 samples measured 70 empty folds as 0 and averaged them in, rc 0. */
    @Test
    void moreFoldsThanSamplesOfAClassAreRefused() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "  caps: [3, 3, 3, 3, 3]\ntrain: {epochs: 1}\n");
        oneLine(CommandLineTest.run("train", exp.toString(), "--folds", "4"), "--folds: 4 folds need at least 4");
    }

    /** Before: --threads -1 was accepted; transfer --out t.txt wrote safetensors named .txt. */
    @Test
    void optionsOutOfRangeAreRefused() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "  validation_per_class: 5\nsearch: {trials: 1}\n");
        oneLine(CommandLineTest.run("search", exp.toString(), "--threads", "-1"), "--threads must be at least 1");
        Path txt = dir.resolve("t.txt");
        oneLine(CommandLineTest.run("transfer", "--source", SOURCE, "--target", TARGET, "--rules",
                CommandLineTest.RULES, "--out", txt.toString()), "must end in .safetensors");
        assertFalse(Files.exists(txt));
    }

    /** Found by a fresh user: a rule matching no tensor changed nothing, exit 0 ("features.*" froze nothing). */
    @Test
    void aPlanRuleThatMatchesNoTensorIsRefused() throws IOException {
        Path plan = Files.writeString(dir.resolve("p.yaml"), "rules: [{match: \"features.*\", mode: frozen}]\n");
        oneLine(CommandLineTest.run("plan", "--source", SOURCE, "--target", TARGET, "--rules", plan.toString()),
                plan + ": rule 1 (match 'features.*') matches no tensor of the model; a glob's * stays within one "
                        + "dot-separated part (** crosses them)");
        Files.writeString(plan, "rules: [{match: \"features.**\", mode: frozen}]\n");
        String same = Path.of("..", "examples", "specs", "small-cnn.yaml").toAbsolutePath().normalize().toString();
        CommandLineTest.Run ok = CommandLineTest.run("plan", "--source", SOURCE, "--target", same, "--rules",
                plan.toString());
        assertEquals(0, ok.code(), ok.err());
    }

    /** Before: the error named Graft's temporary file beside it ("/tmp/.bad.123.tmp -> /tmp/bad"). */
    @Test
    void anOutputThatIsAFolderNamesTheUsersPath() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("bad.safetensors"));
        CommandLineTest.Run r = CommandLineTest.run("transfer", "--source", SOURCE, "--target", TARGET, "--rules",
                CommandLineTest.RULES, "--out", folder.toString());
        oneLine(r, folder + ": is a folder");
        assertFalse(r.err().contains(".tmp"), r.err());
    }

    /** Before: no line or column; binary files were "cannot read: Input length = 1"; empty was Jackson's text. */
    @Test
    void yamlFilesNameTheLineAndColumnOrSayWhatTheyAre() throws IOException {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "input: [1, 28, 28]\nlayers: [{type: linear, out: 3}\n");
        oneLine(CommandLineTest.run("plan", "--source", SOURCE, "--target", spec.toString()),
                spec + ": line 2, column 32: not valid YAML: while parsing a flow sequence");
        oneLine(CommandLineTest.run("train", SOURCE), SOURCE + ": not a text file");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        oneLine(CommandLineTest.run("train", empty.toString()), empty + ": the file is empty");
        Path exp = CliFixtures.experiment(dir, "s", "train: {epochs: two}\n");
        oneLine(CommandLineTest.run("train", exp.toString()), "at 'train.epochs': 'two' is not an integer");
    }

    /** Before: an empty label became a class named ''. */
    @Test
    void anEmptyCsvLabelIsRefusedByLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b,label\n1,2,x\n3,4,\n5,6,y\n");
        Files.writeString(dir.resolve("spec.yaml"), "input: [2]\nlayers: [{name: head, type: linear, out: 2}]\n");
        Path exp = Files.writeString(dir.resolve("e.yaml"), """
                model: spec.yaml
                output: out
                data: {format: csv, train_images: d.csv}
                """);
        oneLine(CommandLineTest.run("train", exp.toString()), csv + ": line 3, column 3: the label is empty");
    }

    /** Before: a diverged fine-tune left the previous run's checkpoint beside its failure record. */
    @Test
    void aDivergedFineTuneLeavesNoCheckpointBehind() throws IOException {
        Path exp = CliFixtures.experiment(dir, "s", "train: {epochs: 1, batch_size: 50}\n");
        assertEquals(0, CommandLineTest.run("train", exp.toString(), "--quiet").code());
        Path ckpt = dir.resolve("out/train/full/model.safetensors");
        assertTrue(Files.exists(ckpt));
        Files.writeString(exp, Files.readString(exp).replace("train: {epochs: 1, batch_size: 50}",
                "train: {epochs: 1, batch_size: 50, optimizer: sgd, lr: 1.0e+30}"));
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(1, r.code(), r.out() + r.err());
        assertFalse(Files.exists(ckpt), "the earlier checkpoint is gone with this run's failure");
        assertTrue(Files.readString(dir.resolve("out/train/full/results.json")).toLowerCase().contains("diverged"));
    }
}
