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

    private static void check(Path report, String name) throws Exception {
        String html = Files.readString(report);
        int expected = HtmlReportTest.count(html, "class=\"chart\"");
        assertTrue(expected > 0);
        int errorsBefore = browser.errors().size();
        int requestsBefore = browser.requests().size();
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
