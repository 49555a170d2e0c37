package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classical heads and SetFit from YAML through train, compare, predict and report: the head file
 * beside the checkpoint predicts the test set exactly as compare measured it.
 */
class ClassicalHeadCommandTest {
    static final Path EXAMPLES = PredictCommandTest.EXAMPLES;

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    /** A source: the tiny MLP trained from scratch on the tiny CSV's pool. */
    private Path experiment(String strategies) throws IOException {
        Path src = dir.resolve("src.yaml");
        Files.writeString(src, CliFixtures.shippedExample(dir, "tiny-csv").replace("output: " + dir.resolve("out"),
                "output: " + dir.resolve("src")));
        assertEquals(0, CommandLineTest.run("train", src.toString(), "--quiet").code());
        Path exp = dir.resolve("heads.yaml");
        Files.writeString(exp, CliFixtures.shippedExample(dir, "tiny-csv")
                .replace("normalize: {auto: true}", "normalize: {auto: true}\n  validation_per_class: 3")
                + "source: {checkpoint: " + dir.resolve("src/train/scratch/model.safetensors") + "}\n"
                + "shots: [6]\nseeds: [0]\nstrategies:\n" + strategies);
        return exp;
    }

    @Test
    void aSavedHeadPredictsAsCompareMeasuredAndTheReportListsIt() throws IOException {
        Path exp = experiment("""
                  - head_only
                  - {name: knn, head: {type: knn, k: [1, 3]}}
                  - {name: forest, head: {type: random_forest, layer: act, trees: 20, depth: [2, 4]}}
                  - {name: setfit, base: contrastive, contrastive: {iterations: 2}, head: {type: linear_svm}}
                  - {name: vote, base: ensemble, ensemble: {members: [knn, head_only]}}
                """);
        CommandLineTest.Run c = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
        JsonNode runs = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).path("runs");
        boolean voted = false;
        for (JsonNode r : runs) {
            voted |= r.path("strategy").asText().equals("vote") && r.path("status").asText().equals("COMPLETED")
                    && r.path("test").path("accuracy").asDouble() > 0;
        }
        assertTrue(voted, "an ensemble with a classical member: " + runs);
        String spec = EXAMPLES.resolve("specs/tiny-mlp.yaml").toString();
        Path test = EXAMPLES.resolve("data/tiny-csv/test.csv");
        // graft train resolves every listed strategy as a fine-tune; an ensemble is compare's alone
        Files.writeString(exp, Files.readString(exp).replaceAll("(?m)^.*base: ensemble.*\\n", ""));
        for (String name : new String[] {"knn", "forest", "setfit"}) {
            JsonNode run = null;
            for (JsonNode r : runs) {
                if (r.path("strategy").asText().equals(name)) {
                    run = r;
                }
            }
            assertTrue(run != null && run.path("status").asText().equals("COMPLETED"), name + ": " + run);
            assertTrue(run.path("message").asText().contains("chosen on the validation split")
                    || name.equals("setfit"), run.path("message").asText());
            CommandLineTest.Run t = CommandLineTest.run("train", exp.toString(), "--strategy", name, "--quiet");
            assertEquals(0, t.code(), t.err());
            Path folder = dir.resolve("out/train/" + name);
            assertTrue(Files.isRegularFile(folder.resolve("head.tribuo")), name);
            CommandLineTest.Run p = CommandLineTest.run("predict", "--model", spec, "--weights",
                    folder.resolve("model.safetensors").toString(), test.toString());
            assertEquals(0, p.code(), p.err());
            double compared = run.path("test").path("accuracy").asDouble();
            assertTrue(p.out().contains(String.format(Locale.ROOT, "accuracy %.4f", compared)),
                    name + ": compare measured " + compared + ", predict printed " + p.out());
            JsonNode trained = new ObjectMapper().readTree(folder.resolve("results.json").toFile()).path("run");
            assertEquals(run.path("test").path("confusion").toString(), trained.path("test").path("confusion").toString(),
                    name);
        }
        // a head file that is not the one trained is refused, in one line
        Path knn = dir.resolve("out/train/knn/head.tribuo");
        Files.copy(dir.resolve("out/train/forest/head.tribuo"), knn, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CommandLineTest.Run bad = CommandLineTest.run("predict", "--model", spec, "--weights",
                dir.resolve("out/train/knn/model.safetensors").toString(), test.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("is not the head model.safetensors was trained with"), bad.err());
        // before: a folder in its place was called missing
        Files.delete(knn);
        Files.createDirectory(knn);
        bad = CommandLineTest.run("predict", "--model", spec, "--weights",
                dir.resolve("out/train/knn/model.safetensors").toString(), test.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("head.tribuo: is a folder, not the classical head model.safetensors was trained "
                + "with"), bad.err());
        // its network's own head is untrained: an ONNX export of it would classify at chance
        Path onnx = dir.resolve("forest.onnx");
        CommandLineTest.Run export = CommandLineTest.run("export", "--model", spec, "--weights",
                dir.resolve("out/train/forest/model.safetensors").toString(), "--out", onnx.toString());
        assertEquals(2, export.code(), export.out());
        assertTrue(export.err().contains("this model's head is a classical one"), export.err());
        assertTrue(Files.notExists(onnx));

        CommandLineTest.Run report = CommandLineTest.run("report", dir.resolve("out").toString());
        assertEquals(0, report.code(), report.err());
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("setfit") && html.contains("forest"), "the report lists the classical heads");
    }

    @Test
    void aSearchEndsInAClassicalHeadInCompareAndInGraftSearch() throws IOException {
        Path exp = experiment("  - {name: lr, head: {type: logistic_regression, c: 1}}\n"
                + "  - {name: tpe_lr, base: random, trials: 2, head: {type: logistic_regression, c: 1}}\n"
                + "search: {sampler: random, trials: 2, fitness: {method: holdout}, genes: {base_lrs: [0.01], "
                + "epochs: [3], fractions: [1]}}\n"
                + "head: {type: knn, k: [1, 3]}\n");
        // seconds, not minutes: the hand strategies train for the experiment's epochs
        Files.writeString(exp, Files.readString(exp).replace("epochs: 40", "epochs: 3"));
        CommandLineTest.Run c = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
        JsonNode runs = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).path("runs");
        JsonNode searched = null;
        for (JsonNode r : runs) {
            if (r.path("strategy").asText().equals("tpe_lr")) {
                searched = r;
            }
        }
        assertTrue(searched != null && searched.path("status").asText().equals("COMPLETED"), String.valueOf(searched));
        // the refitted choice is measured with its classical head
        assertTrue(searched.path("message").asText().contains("logistic_regression"), searched.path("message").asText());

        // graft search reads the experiment's top-level head, as it reads its train and plan
        CommandLineTest.Run s = CommandLineTest.run("search", exp.toString(), "--quiet");
        assertEquals(0, s.code(), s.err());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("out/search/results.json").toFile());
        assertEquals("knn on the input of head, network fine-tuned first", results.path("classical_head").asText());
        CommandLineTest.Run report = CommandLineTest.run("report", dir.resolve("out").toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(dir.resolve("out/report.html")).contains("Every trial ended in a classical head "
                + "(knn on the input of head, network fine-tuned first)"), "the report says whose values they are");
        // and graft train without --strategy fits it on the transferred encoder, saving head.tribuo
        CommandLineTest.Run t = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/train/knn/head.tribuo")));
    }

    @Test
    void aClassicalHeadOnABaseThatTrainsItsOwnHeadIsRefusedNamingTheKey() throws IOException {
        Path exp = experiment("  - {name: f, head: {type: random_forest, k: 3}}\n");
        CommandLineTest.Run k = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(2, k.code(), k.out());
        assertTrue(k.err().contains("strategies[0].head.k: random_forest does not read it"), k.err());
        assertFalse(k.err().contains("Exception"), k.err());
        String before = Files.readString(exp);
        for (String base : new String[] {"distill", "ensemble, ensemble: {members: [full, head_only]}", "reptile",
            "dann", "full"}) {
            Files.writeString(exp, before.replace("{name: f, head: {type: random_forest, k: 3}}",
                    "{name: x, base: " + base + ", head: {type: knn}}"));
            CommandLineTest.Run r = CommandLineTest.run("compare", exp.toString(), "--quiet");
            String keyword = base.split(",")[0];
            assertEquals(2, r.code(), keyword + ": " + r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("strategies[0].head: base " + keyword + " cannot end in a classical head"),
                    r.err());
        }
        Files.writeString(exp, before.replace("{name: f, head: {type: random_forest, k: 3}}",
                "{name: x, base: dann, contrastive: {iterations: 2}}"));
        CommandLineTest.Run pairs = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(2, pairs.code(), pairs.out());
        assertTrue(pairs.err().contains("strategies[0].contrastive: base dann cannot end"), pairs.err());
        // a teacher ending in a classical head has no trained logits to distil
        Files.writeString(exp, before.replace("{name: f, head: {type: random_forest, k: 3}}",
                "{name: x, base: distill, distill: {teacher: {strategy: contrastive}}}"));
        CommandLineTest.Run teacher = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(2, teacher.code(), teacher.out());
        assertEquals(1, teacher.err().lines().count(), teacher.err());
        assertTrue(teacher.err().contains("strategies[0].distill.teacher.strategy: 'contrastive' ends in a classical "
                + "head"), teacher.err());
        Files.writeString(exp, before.replace("{name: f, head: {type: random_forest, k: 3}}",
                "{name: x, base: dann, dann: {target: {format: csv, train_images: " + PredictCommandTest.EXAMPLES
                        .resolve("data/tiny-csv/test.csv") + ", csv: {label: cultivar}}, then: contrastive}}"));
        CommandLineTest.Run then = CommandLineTest.run("compare", exp.toString(), "--quiet");
        assertEquals(2, then.code(), then.out());
        assertTrue(then.err().contains("strategies[0].dann.then: 'contrastive' ends in a classical head"), then.err());
    }
}
