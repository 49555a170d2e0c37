package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens reports in a real, headless Chromium (Debian's, installed by .ci/run). Set
 * GRAFT_SKIP_BROWSER_TEST=1 to skip on a machine without it; otherwise a missing browser fails.
 */
class BrowserReportTest {
    private static HeadlessChromium browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path chromium = HeadlessChromium.find();
        if (chromium == null) {
            Assumptions.assumeTrue("1".equals(System.getenv("GRAFT_SKIP_BROWSER_TEST")),
                    "skipped: GRAFT_SKIP_BROWSER_TEST=1");
            fail("no Chromium found: install Debian's chromium (apt-get install chromium), set GRAFT_CHROMIUM, or "
                    + "set GRAFT_SKIP_BROWSER_TEST=1 to skip the browser tests");
        }
        browser = new HeadlessChromium(chromium);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void comparisonReportRendersWithoutErrorsAndEveryChartHasASize() throws Exception {
        check(HtmlReport.write(SampleResults.comparison(dir)), "comparison");
    }

    @Test
    void searchReportRendersWithoutErrorsAndEveryChartHasASize() throws Exception {
        check(HtmlReport.write(SampleResults.search(dir)), "search");
    }

    /**
     * A ResNet-18-sized comparison (41 layers in the transfer map) of 16 strategies: every text of
     * the page, HTML and inline SVG, is at least {@link #MIN_FONT_PX} and no two overlap.
     */
    @Test
    void aDeepNetworkAndManyStrategiesStayLegible() throws Exception {
        JsonNode text = check(HtmlReport.write(SampleResults.large(dir)), "large");
        // every layer of the network is named in the map, and nothing on the page was shrunk to fit it
        JsonNode map = new ObjectMapper().readTree(browser.evaluate("JSON.stringify((() => { const s = "
                + "document.querySelector('svg[id$=\"-transfer-map\"]'); const r = s.getBoundingClientRect(); "
                + "return {width: r.width, drawn: s.width.baseVal.value, layers: new Set([...s.querySelectorAll('text')]"
                + ".map(t => t.textContent).filter(t => /^(conv1|bn1|fc|layer\\d)/.test(t))).size}; })())").asText());
        assertEquals(41, map.get("layers").asInt(), map.toString());
        assertEquals(map.get("drawn").asDouble(), map.get("width").asDouble(), 0.5, "drawn at its own size: " + map);
        assertTrue(text.get("texts").asInt() > 1000, "the measure saw the page's text: " + text.get("texts"));
    }

    @Test
    void theLegibilityCheckSeesSmallAndOverlappingText() throws Exception {
        Path page = dir.resolve("crowded.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p style=\"font-size: 14px\">fine</p>"
                + "<svg class=\"chart\" id=\"c\" width=\"400\" height=\"100\">"
                + "<text x=\"10\" y=\"20\" font-size=\"12\">first label</text>"
                + "<text x=\"30\" y=\"24\" font-size=\"12\">second label</text>"
                + "<text x=\"200\" y=\"60\" font-size=\"12\" transform=\"rotate(-45 200 60)\">rotated</text>"
                + "<text x=\"240\" y=\"60\" font-size=\"12\" transform=\"rotate(-45 240 60)\">parallel</text>"
                + "</svg><svg width=\"100\" height=\"20\" viewBox=\"0 0 400 80\"><text x=\"0\" y=\"40\" "
                + "font-size=\"11\">shrunk to a quarter</text></svg></body></html>");
        browser.open(page.toUri().toString());
        JsonNode m = TextLayout.measure(browser);
        assertEquals(1, m.get("overlapCount").asInt(), "only the first two overlap, not the parallel rotated ones: " + m);
        assertEquals(2.75, m.get("minFont").asDouble(), 0.01, "11 px in an svg drawn at a quarter size: " + m);
        assertEquals("shrunk to a quarter", m.get("minFontText").asText());
    }

    /** The smallest text a report may show, CSS pixels at 100% zoom. */
    static final double MIN_FONT_PX = 10;

    /**
     * Opens a report in a laptop-sized window and checks it: no console errors or network
     * requests, every chart drawn with a size, a full-page screenshot that is not blank, and all
     * text legible (at least {@link #MIN_FONT_PX}, no two text boxes overlapping).
     *
     * @return the text measurements of {@link TextLayout#measure}
     */
    private static JsonNode check(Path report, String name) throws Exception {
        String html = Files.readString(report);
        int expected = HtmlReportTest.count(html, "class=\"chart\"");
        assertTrue(expected > 0);
        int errorsBefore = browser.errors().size();
        int requestsBefore = browser.requests().size();
        browser.viewport(1280, 900);
        browser.open(report.toUri().toString());

        JsonNode charts = new ObjectMapper().readTree(browser.evaluate("JSON.stringify([...document.querySelectorAll("
                + "'svg.chart')].map(e => { const r = e.getBoundingClientRect(); return {id: e.id, width: r.width, "
                + "height: r.height, marks: e.querySelectorAll('rect, path, line, text, polyline, circle').length}; }))")
                .asText());
        assertEquals(expected, charts.size(), "charts in the page");
        Set<String> ids = new HashSet<>();
        for (JsonNode c : charts) {
            assertTrue(ids.add(c.get("id").asText()), "unique id " + c.get("id"));
            assertTrue(c.get("width").asDouble() > 100 && c.get("height").asDouble() > 100, c.toString());
            assertTrue(c.get("marks").asInt() > 5, "the chart draws something: " + c);
        }
        List<String> errors = browser.errors().subList(errorsBefore, browser.errors().size());
        assertEquals(List.of(), errors, "console errors");
        for (String url : browser.requests().subList(requestsBefore, browser.requests().size())) {
            assertTrue(url.startsWith("file:") || url.startsWith("data:"), "network request: " + url);
        }

        byte[] png = browser.screenshot();
        Path shot = Path.of("target", "report-" + name + ".png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertTrue(image.getHeight() > 1000, "the whole page, not just the viewport: " + image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "the screenshot shows a drawn page, not a blank one");

        JsonNode text = TextLayout.measure(browser);
        System.out.printf("%s report: %d texts, smallest %.2f px (%s in %s), %d overlapping pairs%n", name,
                text.get("texts").asInt(), text.get("minFont").asDouble(), text.get("minFontText").asText(),
                text.get("minFontWhere").asText(), text.get("overlapCount").asInt());
        assertTrue(text.get("minFont").asDouble() >= MIN_FONT_PX, "smallest text: " + text);
        assertEquals(0, text.get("overlapCount").asInt(), "overlapping text: " + text.get("overlaps"));
        return text;
    }

    @Test
    void theHarnessSeesConsoleErrorsAndFailedLoads() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>console.error('boom');</script>"
                + "<img src=\"missing.png\"></body></html>");
        int before = browser.errors().size();
        browser.open(page.toUri().toString());
        Thread.sleep(300);
        List<String> errors = browser.errors().subList(before, browser.errors().size());
        assertTrue(errors.stream().anyMatch(e -> e.contains("boom")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("missing.png")), errors.toString());
    }
}
