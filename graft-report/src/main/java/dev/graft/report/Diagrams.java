package dev.graft.report;

import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as an annotated heatmap, written as SVG by hand: JFreeChart's block
 * renderer cannot print counts in cells or name categorical axes. (The other hand-drawn figure,
 * the transfer map, is {@link TransferMap}.)
 */
final class Diagrams {
    private Diagrams() {}

    /** {@code cm[truth][predicted]} as a heatmap, rows normalized to recall, counts printed in cells. */
    static String confusion(String id, int[][] cm, List<String> names) {
        int n = cm.length;
        int cell = Math.max(36, Math.min(64, 480 / Math.max(1, n)));
        int left = 130;
        int top = 40;
        int width = left + n * cell + 20;
        int height = top + n * cell + 90;
        StringBuilder s = open(id, "confusion matrix of the best run", width, height);
        s.append(text(left + n * cell / 2.0, 20, "predicted", "middle", 13, "bold"));
        for (int t = 0; t < n; t++) {
            long rowTotal = 0;
            for (int v : cm[t]) {
                rowTotal += v;
            }
            s.append(text(left - 8, top + t * cell + cell / 2.0 + 4, name(names, t), "end", 12, "normal"));
            for (int p = 0; p < n; p++) {
                double share = rowTotal == 0 ? 0 : (double) cm[t][p] / rowTotal;
                int x = left + p * cell;
                int y = top + t * cell;
                s.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\">"
                                + "<title>%s → %s: %d (%.1f%% of %s)</title></rect>",
                        x, y, cell, cell, blue(share), Html.escape(name(names, t)), Html.escape(name(names, p)),
                        cm[t][p], 100 * share, Html.escape(name(names, t))));
                s.append(text(x + cell / 2.0, y + cell / 2.0 + 4, String.valueOf(cm[t][p]), "middle", 12,
                        "normal", share > 0.5 ? "#fff" : "#222"));
            }
        }
        for (int p = 0; p < n; p++) {
            double x = left + p * cell + cell / 2.0;
            double y = top + n * cell + 8;
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                            + "transform=\"rotate(-40 %.1f %.1f)\">%s</text>",
                    x, y, x, y, Html.escape(name(names, p))));
        }
        s.append(text(12, top + n * cell / 2.0, "truth", "start", 13, "bold"));
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String label, int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" id=\"%s\" role=\"img\" aria-label=\"%s\" "
                        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">",
                id, Html.escape(label), width, height, width, height));
    }

    private static String text(double x, double y, String s, String anchor, int size, String weight) {
        return text(x, y, s, anchor, size, weight, "#222");
    }

    private static String text(double x, double y, String s, String anchor, int size, String weight, String fill) {
        return String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\" fill=\"%s\">%s</text>",
                x, y, anchor, size, weight, fill, Html.escape(s));
    }

    private static String name(List<String> names, int i) {
        return i < names.size() ? names.get(i) : "class " + i;
    }

    /** White to a deep blue as {@code share} goes from 0 to 1. */
    private static String blue(double share) {
        int r = (int) Math.round(255 - share * (255 - 0x08));
        int g = (int) Math.round(255 - share * (255 - 0x45));
        int b = (int) Math.round(255 - share * (255 - 0x94));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }
}
