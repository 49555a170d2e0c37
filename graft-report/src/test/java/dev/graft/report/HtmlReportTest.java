package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
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
        // the best run: partial, seed 2, 27/30 correct
        assertTrue(html.contains("partial at 5 shots, seed 2 — accuracy 0.900"));
        assertTrue(html.contains("At 5 shots the best mean test accuracy is 0.800 ± 0.100, by partial."));
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
        assertNoExternalResources(html);
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
