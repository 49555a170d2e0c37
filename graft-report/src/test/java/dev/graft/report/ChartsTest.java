package dev.graft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void sixteenSeriesKeepDistinctStyles() {
        Set<Charts.SeriesStyle> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            assertTrue(seen.add(Charts.style(i)), "series " + i + " repeats an earlier style");
            for (int j = 0; j < i; j++) {
                if (Charts.style(i).colour().equals(Charts.style(j).colour())) {
                    // the case: lwf (6th) and scratch (1st) are apart; the 9th series shares the 1st's colour
                    assertNotEquals(Charts.style(i).shape(), Charts.style(j).shape(), i + " and " + j);
                    assertNotEquals(Charts.style(i).dashed(), Charts.style(j).dashed(), i + " and " + j);
                }
            }
        }
        // 40 series before a colour and marker pair comes back
        Set<List<Object>> pairs = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            assertTrue(pairs.add(List.of(Charts.style(i).colour(), Charts.style(i).shape())), "series " + i);
        }
    }

    @Test
    void manyLinesAreDrawnWithMarkersAndDashes() {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            series.put("s" + i, new double[][] {{1, i}, {2, i + 0.5}, {3, i + 1}});
        }
        String svg = Charts.lines("chart-1-lines", "many", "epoch", "value", series, false);
        // series 8-15 are dashed: each draws its line and its legend line with a dash pattern
        assertTrue(HtmlReportTest.count(svg, "stroke-dasharray") >= 8, "dashed lines");
        // 16 series × 3 points of markers, plus the legend's: far more shapes than the 16 lines
        Matcher m = Pattern.compile("<(path|ellipse|rect|polygon)\\b").matcher(svg);
        int shapes = 0;
        while (m.find()) {
            shapes++;
        }
        assertTrue(shapes >= 16 * 3 + 16, "markers drawn: " + shapes);
    }

    @Test
    void pointLabelsNeverOverlapEachOtherOrThePoints() {
        Rectangle2D area = new Rectangle2D.Double(50, 20, 600, 300);
        List<PointLabels.Anchor> anchors = new ArrayList<>();
        // twelve strategies at almost the same cost and accuracy, and four at a corner
        for (int i = 0; i < 12; i++) {
            anchors.add(new PointLabels.Anchor("strategy-" + i, 300 + i, 150 + (i % 3)));
        }
        for (int i = 0; i < 4; i++) {
            anchors.add(new PointLabels.Anchor("corner-" + i, 645, 25 + i));
        }
        List<PointLabels.Placed> placed = PointLabels.place(anchors, area, 11);
        assertEquals(16, placed.size());
        for (int i = 0; i < placed.size(); i++) {
            Rectangle2D a = placed.get(i).box();
            assertTrue(area.contains(a), "inside the plot: " + a);
            assertEquals(PointLabels.EM_WIDTH * 11 * placed.get(i).anchor().label().length(), a.getWidth(), 1e-9);
            for (int j = 0; j < i; j++) {
                assertTrue(!a.intersects(placed.get(j).box()), placed.get(i).anchor() + " over " + placed.get(j).anchor());
            }
            for (PointLabels.Anchor p : anchors) {
                assertTrue(!a.contains(p.x(), p.y()), placed.get(i).anchor().label() + " covers a point");
            }
        }
        assertTrue(placed.stream().anyMatch(PointLabels.Placed::leader), "crowded labels get leader lines");
        assertTrue(PointLabels.svg(List.of(new PointLabels.Anchor("a$b\\c & d", 100, 100)), area, 11)
                .contains(">a$b\\c &amp; d</text>"), "labels are escaped and taken literally");
    }
}
