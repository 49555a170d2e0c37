package dev.graft.report;

import dev.graft.experiment.LayerDecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two figures no charting library draws as we need them, written as SVG by hand: the
 * confusion matrix as an annotated heatmap (JFreeChart's block renderer cannot print counts in
 * cells or name categorical axes), and the transfer map, a diagram of the network's layers
 * coloured by what a run did to each.
 */
final class Diagrams {
    /** Decision → fill colour, in the legend's order. */
    static final Map<String, String> DECISION_COLOURS = new LinkedHashMap<>();

    static {
        DECISION_COLOURS.put(LayerDecision.FROZEN, "#0072B2");
        DECISION_COLOURS.put(LayerDecision.FINE_TUNED, "#009E73");
        DECISION_COLOURS.put(LayerDecision.PARTLY, "#E69F00");
        DECISION_COLOURS.put(LayerDecision.REINITIALIZED, "#D55E00");
    }

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

    /**
     * The transfer map: one row per labelled run, one box per layer in network order; the box's
     * colour is the decision, its filled share the fraction of elements transferred, its label the
     * learning-rate multiplier.
     */
    static String transferMap(String id, Map<String, List<LayerDecision>> rows) {
        List<String> layers = rows.values().stream().flatMap(List::stream).map(LayerDecision::layer).distinct()
                .toList();
        int box = 86;
        int gap = 6;
        int rowH = 40;
        int left = 170;
        int top = 58;
        int width = Math.max(720, left + layers.size() * (box + gap) + 20);
        int height = top + rows.size() * rowH + 66;
        StringBuilder s = open(id, "transfer map", width, height);
        for (int i = 0; i < layers.size(); i++) {
            double x = left + i * (box + gap) + box / 2.0;
            s.append(text(x, top - 24, layers.get(i), "middle", 11, "bold"));
        }
        for (int i = 0; i < layers.size(); i++) {
            String type = "";
            for (List<LayerDecision> r : rows.values()) {
                for (LayerDecision d : r) {
                    if (d.layer().equals(layers.get(i))) {
                        type = d.type();
                    }
                }
            }
            s.append(text(left + i * (box + gap) + box / 2.0, top - 10, type, "middle", 10, "normal", "#666"));
        }
        int row = 0;
        for (Map.Entry<String, List<LayerDecision>> e : rows.entrySet()) {
            int y = top + row * rowH;
            s.append(text(left - 10, y + rowH / 2.0 + 2, e.getKey(), "end", 12, "normal"));
            for (LayerDecision d : e.getValue()) {
                int i = layers.indexOf(d.layer());
                int x = left + i * (box + gap);
                String colour = DECISION_COLOURS.getOrDefault(d.decision(), "#999");
                int filled = (int) Math.round(box * Math.max(0, Math.min(1, d.transferredFraction())));
                s.append(String.format(Locale.ROOT,
                        "<g><title>%s — %s: %s, lr ×%s, %.0f%% of %d elements transferred, %d trainable</title>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.25\" "
                                + "stroke=\"%s\"/>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/></g>",
                        Html.escape(e.getKey()), Html.escape(d.layer()), Html.escape(d.decision()),
                        multiplier(d.lrMultiplier()), 100 * d.transferredFraction(), d.parameters(),
                        d.trainableParameters(), x, y + 4, box, rowH - 10, colour, colour, x, y + 4, filled,
                        rowH - 10, colour));
                String label = d.decision().equals(LayerDecision.FROZEN) ? "frozen"
                        : "×" + multiplier(d.lrMultiplier());
                s.append(text(x + box / 2.0, y + rowH / 2.0 + 3, label, "middle", 11, "bold",
                        d.transferredFraction() > 0.5 ? "#fff" : "#222"));
            }
            row++;
        }
        int lx = left;
        int ly = top + rows.size() * rowH + 22;
        for (Map.Entry<String, String> c : DECISION_COLOURS.entrySet()) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>",
                    lx, ly - 11, c.getValue()));
            s.append(text(lx + 20, ly, c.getKey(), "start", 12, "normal"));
            lx += 34 + 7 * c.getKey().length();
        }
        s.append(text(left, ly + 22, "filled share = elements transferred from the source; label = learning-rate "
                + "multiplier", "start", 11, "normal", "#666"));
        return s.append("</svg>").toString();
    }

    private static String multiplier(double m) {
        return m == Math.rint(m) ? String.valueOf((long) m)
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", m)).stripTrailingZeros().toPlainString();
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
