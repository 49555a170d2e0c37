package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void comparisonReportHasEverySectionAndChart() {
        String html = HtmlReport.render(SampleResults.comparison(dir));
        for (String id : List.of("summary", "comparison", "curves", "best", "transfer", "search")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
        // comparison 4 + forgetting 1 + curves 2 + best 2 + transfer map 1 + genetic 3 (best so far, trace, generations)
        // + annealing 2 (best so far, trace with temperature)
        assertEquals(15, count(html, "class=\"chart\""));
        for (String kind : List.of("accuracy", "macro-f1", "forgetting", "time", "cost", "validation", "loss", "confusion",
                "per-class", "transfer-map", "best-so-far", "trace", "generations")) {
            assertTrue(Pattern.compile("-" + kind + "['\"]").matcher(html).find(), kind);
        }
        assertTrue(html.contains("temperature"), "annealing's temperature axis");
    }

    @Test
    void tableHoldsHandComputedSummaries() {
        String html = HtmlReport.render(SampleResults.comparison(dir));
        // scratch: accuracies 18/30, 21/30, 24/30 → mean 0.7, sample sd 0.1; partial 0.8 ± 0.1
        assertTrue(html.contains("<td>scratch</td><td class=\"num\">5</td><td class=\"num\">0.700 ± 0.100</td>"),
                html);
        // forgetting: scratch 0.9 − 0.3 on every seed; partial 0.9 − (0.9 − 0.01·seed) = 0, 0.01, 0.02
        assertTrue(html.contains("<td class=\"num\">0.600 ± 0.000</td>"), "scratch forgets 0.6");
        assertTrue(html.contains("<td class=\"num\">0.010 ± 0.010</td>"), "partial forgets 0.01 ± 0.01");
        assertTrue(html.contains("<td>partial</td><td class=\"num\">5</td><td class=\"num\">0.800 ± 0.100</td>"));
        // trainable parameters: 0 + 18464 + 645 for a frozen first layer
        assertTrue(html.contains("19,109"));
        // partial's median run: seed 1, 24/30 correct; its luckiest, seed 2, is named but not shown
        assertTrue(html.contains("The median run of partial at 5 shots, the strategy with the highest mean test "
                + "accuracy there (no clear winner, see the summary): seed 1 — accuracy 0.800"), html);
        assertTrue(html.contains("0.900 by partial at 5 shots with seed 2, is one seed&#39;s luck"));
        // partial − genetic = (0, 0.1, 0.2): mean 0.1, sd 0.1, t = √3 with 2 df, p = 1 − √3/√5 = 0.225
        assertTrue(html.contains("At 5 shots there is no clear winner: partial has the highest mean test accuracy "
                + "(0.800 ± 0.100), but its paired lead is not significant at p &lt; 0.05 over genetic (+0.100 ± "
                + "0.100, p = 0.225), annealing (+0.100 ± 0.100, p = 0.225)."), html);
        // partial − scratch = 0.1 on every seed: sd 0, so t is infinite; the sign test is 2/8
        assertTrue(html.contains("<tr><td>scratch</td><td class=\"num\">3</td><td class=\"num\">+0.100 ± 0.000</td>"
                + "<td class=\"num\">3 / 0 / 0</td><td class=\"num\">0.250</td><td class=\"num\">&lt; 0.001</td>"
                + "<td>yes</td></tr>"), html);
        assertFalse(html.contains("best mean test accuracy is"), "no winner named on the means alone");
    }

    @Test
    void theSummaryNamesAWinnerOnlyOnPairedEvidenceAndShowsItsMedianRun() {
        // the case: means 0.700, 0.700 and 0.689 at 5 shots, scratch's seed 1 the luckiest run
        List<RunRecord> runs = new java.util.ArrayList<>();
        runs.addAll(PairedComparisonTest.runs("partial", 5, 20, 21, 22));
        runs.addAll(PairedComparisonTest.runs("finetune", 5, 21, 22, 20));
        runs.addAll(PairedComparisonTest.runs("scratch", 5, 15, 27, 20));
        String html = HtmlReport.render(new RunResults(dir, "close", SampleResults.provenance(), SampleResults.CLASSES,
                runs, java.util.Optional.empty()));
        assertTrue(html.contains("At 5 shots there is no clear winner: partial has the highest mean test accuracy "
                + "(0.700 ± 0.033)"), html);
        assertTrue(html.contains("The median run of partial at 5 shots"), "the recommended strategy's run");
        assertTrue(html.contains("seed 1 — accuracy 0.700"));
        assertTrue(html.contains("0.900 by scratch at 5 shots with seed 1, is one seed&#39;s luck and is not shown"));
        assertFalse(html.contains("scratch at 5 shots, seed 1 —"), "the lucky run is not the one shown");

        // a strategy ahead on every seed by a steady margin is named, and the evidence is there
        List<RunRecord> clear = new java.util.ArrayList<>();
        clear.addAll(PairedComparisonTest.runs("a", 5, 21, 24, 27));
        clear.addAll(PairedComparisonTest.runs("b", 5, 18, 22, 24));
        html = HtmlReport.render(new RunResults(dir, "clear", SampleResults.provenance(), SampleResults.CLASSES, clear,
                java.util.Optional.empty()));
        assertTrue(html.contains("At 5 shots a is the clear winner: mean test accuracy 0.800 ± 0.100"), html);
        assertTrue(html.contains("<h4>5 shots: a against each other strategy (clear winner)</h4>"));
        assertTrue(html.contains("<td class=\"num\">+0.089 ± 0.019</td>"));
        assertTrue(html.contains("<td class=\"num\">0.015</td>"), "p = 1 − 8/√66");
        assertTrue(html.contains("The median run of a at 5 shots, the clear winner there: seed 1 — accuracy 0.800"));
    }

    /** The inline svg element whose id ends with {@code -kind} (the first one). */
    static String svgOf(String html, String kind) {
        Matcher m = Pattern.compile("<svg [^>]*id=['\"]chart-\\d+-" + kind + "['\"]").matcher(html);
        assertTrue(m.find(), kind);
        return html.substring(m.start(), html.indexOf("</svg>", m.start()) + 6);
    }

    @Test
    void everyCostPointIsLabelledWithItsStrategy() {
        String cost = svgOf(HtmlReport.render(SampleResults.comparison(dir)), "cost");
        for (String s : List.of("scratch", "partial", "genetic", "annealing")) {
            assertTrue(Pattern.compile("<g class=\"point-labels\">.*>" + s + "</text>").matcher(cost).find(), s);
        }
        assertEquals(4, count(cost.substring(cost.indexOf("point-labels")), "<text "), "one label per point");
    }

    @Test
    void theTransferMapOfADeepNetworkKeepsItsSizeAndNamesEveryLayer() {
        String map = svgOf(HtmlReport.render(SampleResults.large(dir)), "transfer-map");
        Matcher w = Pattern.compile("width=['\"](\\d+)['\"]").matcher(map);
        assertTrue(w.find());
        // drawn no wider than the charts, so the page never shrinks it (the old map was 3,962 px wide)
        assertTrue(Integer.parseInt(w.group(1)) <= TransferMap.MAX_WIDTH, w.group());
        for (String[] layer : SampleResults.resnet18Layers()) {
            assertTrue(map.contains(">" + layer[0] + "</text>"), layer[0]);
        }
        // 16 runs in panels of 6: every layer named once per panel
        assertEquals(3, count(map, ">layer2.0.downsample.1</text>"));
        Matcher f = Pattern.compile("font-size=\"(\\d+)\"").matcher(map);
        while (f.find()) {
            assertTrue(Integer.parseInt(f.group(1)) >= 11, f.group());
        }
        assertEquals("layer1.0", TransferMap.block("layer1.0.conv1"));
        assertEquals("fc", TransferMap.block("fc"));
        assertEquals("model.encoder…ttention.query", TransferMap.shorten("model.encoder.layers.11.attention.query"));
    }

    @Test
    void textIsEscapedAndNothingComesFromTheNetwork() {
        String html = HtmlReport.render(SampleResults.comparison(dir));
        assertFalse(html.contains("<experiment>"));
        assertTrue(html.contains("sample &lt;experiment&gt;"));
        assertTrue(html.contains("&lt;bird &amp; co&gt;"));
        assertNoExternalResources(html);
        assertFalse(html.contains("<script"), "the report needs no script");
    }

    /** No http(s) reference anywhere, XML namespace names (identifiers, never fetched) aside. */
    static void assertNoExternalResources(String html) {
        String withoutNamespaces = html.replaceAll("xmlns(:\\w+)?=['\"]http://[^'\"]*['\"]", "");
        Matcher m = Pattern.compile("(?i)https?:|//[a-z0-9.-]+\\.[a-z]{2,}/|@import|url\\((?!#)")
                .matcher(withoutNamespaces);
        assertFalse(m.find(), () -> "external reference: " + withoutNamespaces.substring(Math.max(0, m.start() - 80),
                Math.min(withoutNamespaces.length(), m.end() + 80)));
    }

    @Test
    void searchReportShowsTraceParetoFrontAndBestPolicy() {
        String html = HtmlReport.render(SampleResults.search(dir));
        assertTrue(html.contains("<section id=\"policy-search\">"));
        assertTrue(Pattern.compile("-pareto['\"]").matcher(html).find());
        assertTrue(html.contains("<th>target accuracy</th><th>source retention</th>"));
        assertTrue(html.contains("<td>B</td><td>0.7000</td><td>0.9000</td>"));
        assertTrue(Pattern.compile("-transfer-map['\"]").matcher(html).find());
        assertTrue(Pattern.compile("-confusion['\"]").matcher(html).find());
        assertTrue(html.contains("policy notation: one letter per layer group (features.0 features.4 classifier.4): "
                + "S re-initialized"), "the notation's key, before the trials that use it");
        assertNoExternalResources(html);
    }

    /** The notation's key names the recorded layer groups: a BatchNorm row is no letter, a BERT block is one. */
    @Test
    void thePolicyKeyNamesTheRecordedLayerGroups() {
        RunResults sample = SampleResults.search(dir);
        RunResults.Search s = sample.search().orElseThrow();
        List<LayerDecision> rows = List.of(
                new LayerDecision("embeddings", "bert_embeddings", LayerDecision.FROZEN, 0, 1, 352, 0, "embeddings"),
                new LayerDecision("encoder.layer.0", "bert_layer", LayerDecision.FINE_TUNED, 1, 1, 600, 600,
                        "encoder.layer.0"),
                new LayerDecision("features.9", "conv2d", LayerDecision.FINE_TUNED, 1, 1, 40, 40, "features.9"),
                new LayerDecision("features.10", "batchnorm2d", LayerDecision.FINE_TUNED, 1, 1, 8, 8, "features.9"),
                new LayerDecision("classifier", "linear", LayerDecision.REINITIALIZED, 1, 0, 18, 18, "classifier"));
        RunResults.Search grouped = new RunResults.Search(s.sampler(), s.metric(), s.shots(), s.bestPolicy(),
                s.bestValidation(), s.test(), rows, s.history(), s.trace(), s.pareto(), s.finished());
        String html = HtmlReport.render(new RunResults(dir, sample.experiment(), sample.provenance(),
                sample.classNames(), sample.runs(), java.util.Optional.of(grouped)));
        assertTrue(html.contains("one letter per layer group (embeddings encoder.layer.0 features.9 classifier): "),
                "the recorded groups, in order");
    }

    @Test
    void readsBackWhatTheRunnersWrite() throws Exception {
        RunResults sample = SampleResults.comparison(dir);
        ObjectNode root = RunResults.JSON.createObjectNode();
        root.put("experiment", sample.experiment());
        root.set("provenance", RunResults.JSON.valueToTree(sample.provenance()));
        root.set("class_names", RunResults.JSON.valueToTree(sample.classNames()));
        root.set("runs", RunResults.JSON.valueToTree(sample.runs()));
        Files.writeString(dir.resolve("results.json"), RunResults.JSON.writeValueAsString(root));

        RunResults back = RunResults.read(dir);
        assertEquals(sample.experiment(), back.experiment());
        assertEquals(sample.provenance(), back.provenance());
        assertEquals(sample.classNames(), back.classNames());
        assertEquals(sample.runs().size(), back.runs().size());
        for (int i = 0; i < sample.runs().size(); i++) {
            RunRecord a = sample.runs().get(i);
            RunRecord b = back.runs().get(i);
            assertEquals(a.accuracy(), b.accuracy());
            assertEquals(a.history(), b.history());
            assertEquals(a.transfer(), b.transfer());
            assertEquals(a.search(), b.search(), "traces survive NaN values");
        }
        Path file = HtmlReport.write(dir);
        assertEquals(dir.resolve("report.html"), file);
        assertEquals(HtmlReport.render(back), Files.readString(file));
    }

    @Test
    void anUnfinishedSearchIsReadFromItsJournal() throws Exception {
        Path search = Files.createDirectories(dir.resolve("search"));
        Files.writeString(search.resolve("search.jsonl"), """
                {"event":"study","space":"a=[0, 1];"}
                {"event":"ask","trial":0,"point":[0]}
                {"event":"tell","trial":0,"state":"COMPLETE","message":"","value":0.5}
                {"event":"ask","trial":1,"point":[1]}
                {"event":"tell","trial":1,"state":"COMPLETE","message":"","value":0.75}
                {"event":"ask","trial":2,"point":[0]}
                """);
        RunResults r = RunResults.read(dir);
        RunResults.Search s = r.search().orElseThrow();
        assertFalse(s.finished());
        assertEquals(List.of(0.5, 0.75), s.trace().trials().stream().map(p -> p.best()).toList());
        assertTrue(HtmlReport.render(r).contains("The search did not finish"));
    }

    @Test
    void badInputNamesTheFolderOrFile() throws Exception {
        GraftInputException e = assertThrows(GraftInputException.class, () -> RunResults.read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": no results.json"), e.getMessage());
        e = assertThrows(GraftInputException.class, () -> RunResults.read(dir.resolve("absent")));
        assertEquals(dir.resolve("absent") + ": no such folder", e.getMessage());
        Files.writeString(dir.resolve("results.json"), "{\"runs\": [");
        e = assertThrows(GraftInputException.class, () -> RunResults.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("results.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"));
        Files.writeString(dir.resolve("results.json"), "{\"runs\": [{\"shots\": \"many\"}]}");
        e = assertThrows(GraftInputException.class, () -> RunResults.read(dir));
        assertTrue(e.getMessage().contains("not a results file"), e.getMessage());
    }
}
