package dev.graft.report;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Labels for the points of a scatter plot, placed greedily so that no label covers another label
 * or a point: each label tries positions at growing distances around its point (right, left,
 * above, below, then the diagonals) and takes the first that is free and inside the plot area; a
 * label set away from its point gets a thin leader line. JFreeChart's item labels sit at a fixed
 * offset and pile up when strategies cost and score alike, which is exactly when the reader
 * needs to tell them apart.
 *
 * <p>Text widths are estimated, not measured (no font metrics in a headless SVG writer), at
 * {@link #EM_WIDTH} of the font size per character, above the mean of common sans-serif faces
 * (DejaVu Sans, Debian's default, averages about 0.6), so that the boxes err on the large side.
 */
final class PointLabels {
    /** Estimated advance of one character, in font sizes. */
    static final double EM_WIDTH = 0.66;
    /** Half the size of the box kept clear around each point, pixels. */
    private static final double POINT_CLEARANCE = 5;
    private static final double[] DISTANCES = {6, 14, 24, 36, 50, 66, 84};
    private static final double[][] DIRECTIONS = {{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};

    private PointLabels() {}

    /**
     * A point to label.
     *
     * @param label the text (empty or null: none)
     * @param x the point's x in the SVG, pixels
     * @param y the point's y in the SVG, pixels
     */
    record Anchor(String label, double x, double y) {}

    /** A placed label: its box (pixels) and whether it needs a leader line to its point. */
    record Placed(Anchor anchor, Rectangle2D box, boolean leader) {}

    /**
     * Places the labels of {@code anchors} inside {@code area}.
     *
     * @param fontSize the labels' font size, pixels
     * @return one placement per labelled anchor, in order; a label with no free place at any tried
     *     position is put at its first position that stays inside the area (or to the right of its
     *     point when none does), and may then overlap
     */
    static List<Placed> place(List<Anchor> anchors, Rectangle2D area, double fontSize) {
        List<Rectangle2D> taken = new ArrayList<>();
        for (Anchor a : anchors) {
            taken.add(new Rectangle2D.Double(a.x() - POINT_CLEARANCE, a.y() - POINT_CLEARANCE, 2 * POINT_CLEARANCE,
                    2 * POINT_CLEARANCE));
        }
        List<Placed> out = new ArrayList<>();
        double h = fontSize * 1.2;
        for (Anchor a : anchors) {
            if (a.label() == null || a.label().isEmpty()) {
                continue;
            }
            double w = EM_WIDTH * fontSize * a.label().length();
            Rectangle2D chosen = null;
            Rectangle2D fallback = null;
            boolean far = false;
            search:
            for (double d : DISTANCES) {
                for (double[] dir : DIRECTIONS) {
                    Rectangle2D box = box(a, dir, d, w, h);
                    if (!area.contains(box)) {
                        continue;
                    }
                    if (fallback == null) {
                        fallback = box;
                    }
                    // a 2-pixel gap, so that estimated widths a little short still leave labels apart
                    Rectangle2D padded = new Rectangle2D.Double(box.getX() - 2, box.getY() - 1, box.getWidth() + 4,
                            box.getHeight() + 2);
                    if (taken.stream().noneMatch(padded::intersects)) {
                        chosen = box;
                        far = d > DISTANCES[1];
                        break search;
                    }
                }
            }
            if (chosen == null) {
                chosen = fallback != null ? fallback : box(a, DIRECTIONS[0], DISTANCES[0], w, h);
            }
            taken.add(chosen);
            out.add(new Placed(a, chosen, far));
        }
        return out;
    }

    /** The box of a label {@code d} pixels from its point in direction {@code dir}. */
    private static Rectangle2D box(Anchor a, double[] dir, double d, double w, double h) {
        double x = dir[0] > 0 ? a.x() + d : dir[0] < 0 ? a.x() - d - w : a.x() - w / 2;
        double y = dir[1] > 0 ? a.y() + d : dir[1] < 0 ? a.y() - d - h : a.y() - h / 2;
        return new Rectangle2D.Double(x, y, w, h);
    }

    /** The placed labels as SVG text (and leader lines), to append inside the chart's svg element. */
    static String svg(List<Anchor> anchors, Rectangle2D area, double fontSize) {
        StringBuilder s = new StringBuilder("<g class=\"point-labels\">");
        for (Placed p : place(anchors, area, fontSize)) {
            Rectangle2D b = p.box();
            if (p.leader()) {
                // from the point to the nearest point of the label's box
                double lx = Math.max(b.getMinX(), Math.min(p.anchor().x(), b.getMaxX()));
                double ly = Math.max(b.getMinY(), Math.min(p.anchor().y(), b.getMaxY()));
                s.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-width=\"0.8\"/>",
                        p.anchor().x(), p.anchor().y(), lx, ly));
            }
            // baseline about 0.85 font sizes below the box's top, so the glyphs fill the box
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"%.0f\" fill=\"#222\">%s</text>",
                    b.getMinX(), b.getMinY() + 0.95 * fontSize, fontSize, Html.escape(p.anchor().label())));
        }
        return s.append("</g>").toString();
    }
}
