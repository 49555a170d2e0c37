package dev.graft.report;

import dev.graft.experiment.LayerDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transfer map as hand-written SVG: one row per layer in network order, one column per
 * labelled run; a box's colour is the decision, its filled share the fraction of elements
 * transferred, its label the learning-rate multiplier.
 *
 * <p>Layers run down the page, not across, so that the map of a deep network grows taller and
 * stays at its drawn size: a 41-layer ResNet-18 laid out across (the old way) was 3,900 pixels
 * wide and shrank to fit the page until its text was about 3 pixels high. The width is bounded by
 * {@link #MAX_WIDTH}, the width charts are drawn at; when the runs need more columns than fit,
 * they are split into panels stacked one under the other, each repeating the layer names. Layers
 * of one block (the same name up to the last dot, such as {@code layer1.0}) share a background
 * band, alternating from block to block, so blocks read as groups.
 */
final class TransferMap {
    /** Decision → fill colour, in the legend's order. */
    static final Map<String, String> DECISION_COLOURS = new LinkedHashMap<>();

    static {
        DECISION_COLOURS.put(LayerDecision.FROZEN, "#0072B2");
        DECISION_COLOURS.put(LayerDecision.FINE_TUNED, "#009E73");
        DECISION_COLOURS.put(LayerDecision.PARTLY, "#E69F00");
        DECISION_COLOURS.put(LayerDecision.REINITIALIZED, "#D55E00");
    }

    /** The widest the map is drawn, pixels: the charts' width, so the page never scales it down. */
    static final int MAX_WIDTH = 720;
    /** Longest layer or run label printed in full, characters; longer ones keep their ends around "…". */
    static final int MAX_LABEL = 28;
    private static final int BOX = 60;
    private static final int GAP = 6;
    private static final int ROW = 22;
    private static final int NAME_FONT = 12;
    private static final int TYPE_FONT = 11;
    private static final int BOX_FONT = 11;
    private static final int MARGIN = 10;

    private TransferMap() {}

    /**
     * The map of {@code runs} (label → the run's decisions per layer).
     *
     * @param id the svg element's id
     * @return one {@code <svg class="chart">} element
     */
    static String svg(String id, Map<String, List<LayerDecision>> runs) {
        List<String> layers = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (List<LayerDecision> r : runs.values()) {
            for (LayerDecision d : r) {
                if (!layers.contains(d.layer())) {
                    layers.add(d.layer());
                }
                types.putIfAbsent(d.layer(), d.type());
            }
        }
        double nameW = layers.stream().mapToDouble(l -> width(shorten(l), NAME_FONT)).max().orElse(0);
        double typeW = types.values().stream().mapToDouble(t -> width(t, TYPE_FONT)).max().orElse(0);
        int typeX = (int) Math.ceil(MARGIN + nameW + 12);
        int boxX = (int) Math.ceil(typeX + typeW + 12);
        int perPanel = Math.max(1, (MAX_WIDTH - boxX - MARGIN + GAP) / (BOX + GAP));
        List<String> labels = new ArrayList<>(runs.keySet());
        int panels = (labels.size() + perPanel - 1) / perPanel;
        // headers are written upwards, so their height is the longest label's width
        int header = (int) Math.ceil(labels.stream().mapToDouble(l -> width(shorten(l), NAME_FONT)).max().orElse(0))
                + 14;
        int panelH = header + layers.size() * ROW + 18;
        int legendY = panels * panelH + 8;
        int height = legendY + 48;
        int columns = Math.min(perPanel, labels.size());
        int width = Math.max(Math.min(MAX_WIDTH, boxX + columns * (BOX + GAP) + MARGIN), 560);
        StringBuilder s = open(id, width, height);
        for (int p = 0; p < panels; p++) {
            int top = p * panelH;
            List<String> cols = labels.subList(p * perPanel, Math.min(labels.size(), (p + 1) * perPanel));
            int y0 = top + header;
            String block = null;
            boolean shaded = true;
            for (int i = 0; i < layers.size(); i++) {
                String layer = layers.get(i);
                String b = block(layer);
                if (!b.equals(block)) {
                    block = b;
                    shaded = !shaded;
                }
                int y = y0 + i * ROW;
                if (shaded) {
                    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                            + "fill=\"#f1f4f7\"/>", MARGIN / 2, y, boxX + cols.size() * (BOX + GAP) - MARGIN / 2, ROW));
                }
                s.append(titled(text(MARGIN, y + ROW / 2.0 + 4, shorten(layer), "start", NAME_FONT, "normal", "#222"),
                        layer));
                s.append(text(typeX, y + ROW / 2.0 + 4, types.get(layer), "start", TYPE_FONT, "normal", "#666"));
            }
            for (int c = 0; c < cols.size(); c++) {
                String label = cols.get(c);
                double cx = boxX + c * (BOX + GAP) + BOX / 2.0;
                // written upwards from just above the first row, centred on the column
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\" font-size=\"%d\" "
                        + "font-weight=\"bold\" fill=\"#222\" transform=\"rotate(-90 %.1f %.1f)\"><title>%s</title>%s"
                        + "</text>", cx + 4, y0 - 6.0, NAME_FONT, cx + 4, y0 - 6.0, Html.escape(label),
                        Html.escape(shorten(label))));
                for (LayerDecision d : runs.get(label)) {
                    box(s, label, d, boxX + c * (BOX + GAP), y0 + layers.indexOf(d.layer()) * ROW);
                }
            }
        }
        legend(s, legendY);
        return s.append("</svg>").toString();
    }

    private static void box(StringBuilder s, String run, LayerDecision d, int x, int y) {
        String colour = DECISION_COLOURS.getOrDefault(d.decision(), "#999");
        int h = ROW - 4;
        int filled = (int) Math.round(BOX * Math.max(0, Math.min(1, d.transferredFraction())));
        s.append(String.format(Locale.ROOT,
                "<g><title>%s — %s: %s, lr ×%s, %.0f%% of %d elements transferred, %d trainable</title>"
                        + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.25\" "
                        + "stroke=\"%s\"/><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/></g>",
                Html.escape(run), Html.escape(d.layer()), Html.escape(d.decision()), multiplier(d.lrMultiplier()),
                100 * d.transferredFraction(), d.parameters(), d.trainableParameters(), x, y + 2, BOX, h, colour,
                colour, x, y + 2, filled, h, colour));
        String label = d.decision().equals(LayerDecision.FROZEN) ? "frozen" : "×" + multiplier(d.lrMultiplier());
        s.append(text(x + BOX / 2.0, y + ROW / 2.0 + 4, label, "middle", BOX_FONT, "bold",
                d.transferredFraction() > 0.5 ? "#fff" : "#222"));
    }

    private static void legend(StringBuilder s, int y) {
        double x = MARGIN;
        for (Map.Entry<String, String> c : DECISION_COLOURS.entrySet()) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>",
                    x, y, c.getValue()));
            s.append(text(x + 20, y + 11, c.getKey(), "start", 12, "normal", "#222"));
            x += 20 + width(c.getKey(), 12) + 18;
        }
        s.append(text(MARGIN, y + 36, "filled share = elements transferred from the source; label = learning-rate "
                + "multiplier", "start", 11, "normal", "#666"));
    }

    /** The block a layer belongs to: its name up to the last dot ({@code layer1.0.conv1} → {@code layer1.0}). */
    static String block(String layer) {
        int dot = layer.lastIndexOf('.');
        return dot < 0 ? layer : layer.substring(0, dot);
    }

    /** A label of at most {@link #MAX_LABEL} characters, its middle replaced by "…" when longer. */
    static String shorten(String s) {
        if (s.length() <= MAX_LABEL) {
            return s;
        }
        int head = (MAX_LABEL - 1) / 2;
        return s.substring(0, head) + "…" + s.substring(s.length() - (MAX_LABEL - 1 - head));
    }

    /** Estimated width of {@code s} in pixels (see {@link PointLabels#EM_WIDTH}). */
    private static double width(String s, int font) {
        return PointLabels.EM_WIDTH * font * s.length();
    }

    static String multiplier(double m) {
        return m == Math.rint(m) ? String.valueOf((long) m)
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", m)).stripTrailingZeros().toPlainString();
    }

    private static StringBuilder open(String id, int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" id=\"%s\" role=\"img\" aria-label=\"transfer map\" "
                        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">",
                id, width, height, width, height));
    }

    /** A text element that shows {@code full} on hover when its visible text was shortened. */
    private static String titled(String textElement, String full) {
        return full.length() <= MAX_LABEL ? textElement
                : textElement.replaceFirst(">", "><title>" + java.util.regex.Matcher.quoteReplacement(
                        Html.escape(full)) + "</title>");
    }

    private static String text(double x, double y, String s, String anchor, int size, String weight, String fill) {
        return String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\" fill=\"%s\">%s</text>",
                x, y, anchor, size, weight, fill, Html.escape(s));
    }
}
