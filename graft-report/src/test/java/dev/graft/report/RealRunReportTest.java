package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.provenance.Provenance;
import dev.graft.search.SearchRunner;
import dev.graft.search.SearchSettings;
import dev.graft.search.SearchStrategy;
import dev.graft.search.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real (small) run on the shipped data: a comparison with hand strategies and two
 * policy searches, plus a policy search in the same folder, rebuilt from the files alone and
 * opened in Chromium.
 */
class RealRunReportTest {
    @TempDir
    Path dir;

    @Test
    void aRealRunsReportShowsEveryPartAndOpensCleanly() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: real-run
                model: %1$s/examples/specs/small-cnn.yaml
                source: {checkpoint: %1$s/examples/checkpoints/fashion-source.safetensors}
                output: %2$s
                data:
                  train_images: %1$s/data/fashion/target-pool-images-idx3-ubyte.gz
                  train_labels: %1$s/data/fashion/target-pool-labels-idx1-ubyte.gz
                  test_images: %1$s/data/fashion/target-test-images-idx3-ubyte.gz
                  test_labels: %1$s/data/fashion/target-test-labels-idx1-ubyte.gz
                  classes: [2, 4, 6, 7, 9]
                  class_names: [pullover, coat, shirt, sneaker, ankle-boot]
                  validation_per_class: 5
                  normalize: {mean: [0.286], std: [0.353]}
                train: {epochs: 3, batch_size: 25}
                strategies: [scratch, partial, {name: genetic, trials: 8}, {name: annealing, trials: 5}]
                shots: [5]
                seeds: [0]
                search:
                  sampler: annealing
                  trials: 5
                  genetic: {population: 4}
                  genes: {base_lrs: [0.001], l2sp: [0.0], epochs: [3]}
                """.formatted(root, dir.resolve("out")));
        ExperimentConfig c = ExperimentLoader.read(exp);
        Prepared p = ExperimentRunner.prepare(c, exp, ExperimentRunner.Progress.NONE);
        List<RunRecord> runs = ExperimentRunner.compare(p, ExperimentRunner.comparedStrategies(p,
                (spec, where) -> SearchStrategy.resolve(p, spec, where)), ExperimentRunner.Progress.NONE);
        new Comparison(runs).write(p.output().resolve("results.json"), p, Provenance.now(p.sourceLabel(),
                p.sourceSha256()));
        SearchRunner.run(p, SearchSettings.of(c, "search"), false, new SearchRunner.Listener() {
            @Override
            public void trialFinished(Trial t, String summary, double best, int finished, int total, double eta) {
            }
        });

        // the genetic strategy's trace holds finished generations of 4
        RunRecord genetic = runs.get(2);
        assertEquals(8, genetic.search().trials().size());
        assertFalse(genetic.search().generations().isEmpty());
        assertTrue(runs.get(3).search().trials().stream().anyMatch(t -> !Double.isNaN(t.temperature())),
                "annealing records its temperature once calibrated");

        Path report = HtmlReport.write(p.output());
        String html = Files.readString(report);
        for (String id : List.of("summary", "comparison", "curves", "best", "transfer", "search", "policy-search")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
        for (String kind : List.of("accuracy", "cost", "validation", "loss", "confusion", "per-class", "transfer-map",
                "best-so-far", "trace", "generations")) {
            assertTrue(Pattern.compile("-" + kind + "['\"]").matcher(html).find(), kind);
        }
        // the transfer map shows what partial did: a frozen trunk, a re-initialized head
        assertTrue(html.contains("partial (seed 0) — features.0: frozen"), "partial's first layer is frozen");
        assertTrue(html.contains("partial (seed 0) — classifier.4: re-initialized"));
        assertTrue(html.contains("scratch (seed 0) — features.0: re-initialized"));
        HtmlReportTest.assertNoExternalResources(html);
        // one seed per strategy: nothing to pair, so no strategy is called the winner
        assertTrue(html.contains("At 5 shots there is no clear winner"), "no winner from a single seed");
        assertTrue(html.contains("1 shared seed, too few to test"));

        Path chromium = HeadlessChromium.find();
        if (chromium == null && "1".equals(System.getenv("GRAFT_SKIP_BROWSER_TEST"))) {
            return;
        }
        assertTrue(chromium != null, "no Chromium: install Debian's chromium or set GRAFT_SKIP_BROWSER_TEST=1");
        try (HeadlessChromium browser = new HeadlessChromium(chromium)) {
            browser.open(report.toUri().toString());
            int charts = browser.evaluate("document.querySelectorAll('svg.chart').length").asInt();
            assertEquals(HtmlReportTest.count(html, "class=\"chart\""), charts);
            int sized = browser.evaluate("[...document.querySelectorAll('svg.chart')].filter(e => "
                    + "e.getBoundingClientRect().width > 100 && e.getBoundingClientRect().height > 100).length").asInt();
            assertEquals(charts, sized, "every chart has a size");
            assertEquals(List.of(), browser.errors());
            Files.write(Path.of("target", "report-real-run.png"), browser.screenshot());
            com.fasterxml.jackson.databind.JsonNode text = TextLayout.measure(browser);
            assertTrue(text.get("minFont").asDouble() >= BrowserReportTest.MIN_FONT_PX, "smallest text: " + text);
            assertEquals(0, text.get("overlapCount").asInt(), "overlapping text: " + text.get("overlaps"));
        }
    }
}
