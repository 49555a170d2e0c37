package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression's cross-validation ({@code graft train --folds}) in the report: each fold's RMSE, MAE
 * and R² as results.json holds them, and their mean over folds recomputed here. Before, the section
 * read "accuracy NaN, macro-F1 NaN".
 */
class RegressionCrossValidationTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void theReportShowsEachFoldsRmseMaeAndR2() throws Exception {
        Path exp = dir.resolve("ink.yaml");
        Files.writeString(exp, CliFixtures.shippedExample(dir, "fashion-ink", "epochs: 40", "epochs: 2"));
        CommandLineTest.Run cv = CommandLineTest.run("train", exp.toString(), "--quiet", "--folds", "2");
        assertEquals(0, cv.code(), cv.err());
        Path folder = dir.resolve("out/cv/scratch");
        JsonNode folds = new ObjectMapper().readTree(folder.resolve("results.json").toFile())
                .path("cross_validation").path("folds");
        assertEquals(2, folds.size());
        CommandLineTest.Run report = CommandLineTest.run("report", folder.toString());
        assertEquals(0, report.code(), report.err());
        String html = Files.readString(folder.resolve("report.html"));
        int start = html.indexOf("<section id=\"cross-validation\">");
        String section = html.substring(start, html.indexOf("</section>", start));
        assertFalse(section.contains("NaN") || section.contains("accuracy"), section);
        double rmseSum = 0;
        for (JsonNode f : folds) {
            JsonNode r = f.path("regression");
            rmseSum += r.path("rmse").asDouble();
            for (String cell : new String[] {String.format(Locale.ROOT, "%.4g", r.path("rmse").asDouble()),
                String.format(Locale.ROOT, "%.4g", r.path("mae").asDouble()),
                String.format(Locale.ROOT, "%.4f", r.path("r2").asDouble()),
                String.valueOf(r.path("truth").size())}) {
                assertTrue(section.contains("<td class=\"num\">" + cell + "</td>") || section.contains(">" + cell + "<"),
                        cell + " in " + section);
            }
        }
        assertTrue(section.contains(String.format(Locale.ROOT, "RMSE %.4g ± ", rmseSum / 2)), section);
    }
}
