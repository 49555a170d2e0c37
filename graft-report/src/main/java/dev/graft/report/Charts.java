package dev.graft.report;

import dev.graft.experiment.SearchTrace;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's standard charts, drawn by JFreeChart into inline SVG with JFreeSVG: bars with
 * error bars, lines and scatter plots. Each chart comes back as one {@code <svg class="chart">}
 * element with its own id, so that many can share a page.
 */
final class Charts {
    /** A palette that stays apart for the colour-blind (Okabe and Ito's eight colours, black last). */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)};
    /** Marker shapes; their count (10) and the palette's (8) share no factor but 2, so pairs repeat only after 40. */
    static final int SHAPES = 10;
    private static final Font POINT_LABEL = new Font("SansSerif", Font.PLAIN, 11);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 14);
    private static final Font LABEL = new Font("SansSerif", Font.PLAIN, 12);

    static {
        // charts draw off-screen; without this a machine with no display refuses to load AWT
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** One bar group per category, one bar per series, each with its mean and ± one sd. */
    record Bar(String series, String category, double mean, double sd) {}

    static String bars(String id, String title, String valueLabel, List<Bar> bars, boolean zeroBased) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Bar b : bars) {
            data.add(b.mean(), Double.isNaN(b.sd()) ? 0 : b.sd(), b.series(), b.category());
        }
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis(valueLabel);
        y.setAutoRangeIncludesZero(zeroBased);
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setErrorIndicatorPaint(Color.DARK_GRAY);
        r.setDrawBarOutline(false);
        r.setItemMargin(0.05);
        palette(data.getRowCount(), r::setSeriesPaint);
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return svg(id, chart(title, plot, data.getRowCount() > 1), 720, 360);
    }

    /** Plain grouped bars (no error bars): per-class precision, recall and F1. */
    static String groupedBars(String id, String title, String valueLabel, Map<String, Map<String, Double>> bySeries) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        bySeries.forEach((series, values) -> values.forEach((category, v) -> data.addValue(v, series, category)));
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        palette(data.getRowCount(), r::setSeriesPaint);
        NumberAxis y = new NumberAxis(valueLabel);
        y.setRange(0, 1.05);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(null), y, r);
        return svg(id, chart(title, plot, true), 720, 320);
    }

    /** One line per series over x; {@code points} draws markers. */
    static String lines(String id, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean points) {
        XYSeriesCollection data = collection(series);
        // with several series the markers, not only the colours, tell them apart (colours repeat after 8)
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, points || data.getSeriesCount() > 1);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            SeriesStyle st = style(i);
            r.setSeriesPaint(i, st.colour());
            r.setSeriesStroke(i, st.dashed() ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 3f}, 0f) : new BasicStroke(1.6f));
            r.setSeriesShape(i, shape(st.shape(), 6));
        }
        XYPlot plot = new XYPlot(data, axis(xLabel, true), axis(yLabel, false), r);
        return svg(id, chart(title, plot, data.getSeriesCount() > 1), 720, 340);
    }

    /**
     * A labelled point of a scatter plot.
     *
     * @param label the text printed beside it (empty: none)
     * @param x its x value
     * @param y its y value
     */
    record Point(String label, double x, double y) {}

    /**
     * Points only, one colour and marker per series: costs against quality, Pareto fronts. Each
     * point's label is placed beside it where it overlaps no other label or point (see
     * {@link PointLabels}).
     */
    static String scatter(String id, String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, pts) -> {
            XYSeries s = new XYSeries(name, false);
            pts.stream().filter(p -> !Double.isNaN(p.x()) && !Double.isNaN(p.y())).forEach(p -> s.add(p.x(), p.y()));
            data.addSeries(s);
        });
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, style(i).colour());
            r.setSeriesShape(i, shape(style(i).shape(), 8));
        }
        XYPlot plot = new XYPlot(data, axis(xLabel, false), axis(yLabel, false), r);
        // room inside the axes for labels of the outermost points
        plot.getDomainAxis().setUpperMargin(0.15);
        plot.getDomainAxis().setLowerMargin(0.08);
        plot.getRangeAxis().setUpperMargin(0.12);
        plot.getRangeAxis().setLowerMargin(0.08);
        JFreeChart chart = chart(title, plot, data.getSeriesCount() > 1);
        int width = 720;
        int height = 400;
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        chart.draw(g, new Rectangle(0, 0, width, height), info);
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        List<PointLabels.Anchor> anchors = new java.util.ArrayList<>();
        for (List<Point> pts : series.values()) {
            for (Point p : pts) {
                if (!Double.isNaN(p.x()) && !Double.isNaN(p.y())) {
                    anchors.add(new PointLabels.Anchor(p.label(),
                            plot.getDomainAxis().valueToJava2D(p.x(), area, plot.getDomainAxisEdge()),
                            plot.getRangeAxis().valueToJava2D(p.y(), area, plot.getRangeAxisEdge())));
                }
            }
        }
        String labels = PointLabels.svg(anchors, area, POINT_LABEL.getSize());
        String el = finish(id, g.getSVGElement(id), chart);
        int end = el.lastIndexOf("</svg>");
        return el.substring(0, end) + labels + el.substring(end);
    }

    /**
     * How series {@code i} is drawn. Colour and marker cycle with different periods (8 and 10),
     * so no two of the first 40 series share both; from the ninth series on, lines are dashed as
     * well, so a series and the one eight after it (same colour) differ in marker and stroke.
     *
     * @param colour the line and marker colour
     * @param shape the marker, an index for {@link #shape(int, double)}
     * @param dashed whether lines are dashed
     */
    record SeriesStyle(Color colour, int shape, boolean dashed) {}

    static SeriesStyle style(int i) {
        return new SeriesStyle(PALETTE[i % PALETTE.length], i % SHAPES, (i / PALETTE.length) % 2 == 1);
    }

    /** Marker {@code index} (0 ≤ index < {@link #SHAPES}) about {@code size} pixels across, centred on 0. */
    static java.awt.Shape shape(int index, double size) {
        double h = size / 2;
        float f = (float) h;
        return switch (index) {
            case 0 -> new Ellipse2D.Double(-h, -h, size, size);
            case 1 -> new java.awt.geom.Rectangle2D.Double(-h * 0.9, -h * 0.9, size * 0.9, size * 0.9);
            case 2 -> org.jfree.chart.util.ShapeUtils.createUpTriangle(f * 1.1f);
            case 3 -> org.jfree.chart.util.ShapeUtils.createDiamond(f * 1.2f);
            case 4 -> org.jfree.chart.util.ShapeUtils.createDownTriangle(f * 1.1f);
            case 5 -> org.jfree.chart.util.ShapeUtils.createRegularCross(f * 1.1f, f * 0.35f);
            case 6 -> org.jfree.chart.util.ShapeUtils.createDiagonalCross(f, f * 0.3f);
            case 7 -> polygon(6, h * 1.1, 0); // hexagon
            case 8 -> star(h * 1.3, h * 0.55);
            default -> new Ellipse2D.Double(-h * 1.3, -h * 0.6, size * 1.3, size * 0.6); // flat ellipse
        };
    }

    private static java.awt.Shape polygon(int corners, double radius, double turn) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        for (int k = 0; k < corners; k++) {
            double a = turn + 2 * Math.PI * k / corners;
            if (k == 0) {
                p.moveTo(radius * Math.cos(a), radius * Math.sin(a));
            } else {
                p.lineTo(radius * Math.cos(a), radius * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static java.awt.Shape star(double outer, double inner) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        for (int k = 0; k < 10; k++) {
            double rad = k % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + Math.PI * k / 5;
            if (k == 0) {
                p.moveTo(rad * Math.cos(a), rad * Math.sin(a));
            } else {
                p.lineTo(rad * Math.cos(a), rad * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /**
     * A search trial by trial: each trial's value as a point, the best so far as a step line, and
     * annealing's temperature on a second axis when the trace has one.
     */
    static String trace(String id, String title, SearchTrace t) {
        XYSeries values = new XYSeries("trial value", false);
        XYSeries best = new XYSeries("best so far", false);
        XYSeries pruned = new XYSeries("pruned or failed", false);
        XYSeries temperature = new XYSeries("temperature", false);
        int i = 0;
        for (SearchTrace.Point p : t.trials()) {
            i++;
            if ("complete".equals(p.state()) && !Double.isNaN(p.value())) {
                values.add(i, p.value());
            } else if (!Double.isNaN(p.value())) {
                pruned.add(i, p.value());
            }
            if (!Double.isNaN(p.best())) {
                best.add(i, p.best());
            }
            if (!Double.isNaN(p.temperature())) {
                temperature.add(i, p.temperature());
            }
        }
        XYSeriesCollection main = new XYSeriesCollection();
        main.addSeries(values);
        main.addSeries(best);
        main.addSeries(pruned);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesLinesVisible(2, false);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setSeriesPaint(1, PALETTE[5]);
        r.setSeriesPaint(2, Color.GRAY);
        r.setSeriesStroke(1, new BasicStroke(2f));
        r.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        r.setSeriesShape(2, new Ellipse2D.Double(-3, -3, 6, 6));
        XYPlot plot = new XYPlot(main, axis("trial (in finishing order)", true), axis("validation " + t.metric(), false), r);
        if (temperature.getItemCount() > 0) {
            XYSeriesCollection temp = new XYSeriesCollection(temperature);
            NumberAxis tAxis = axis("temperature", false);
            // a short trace may hold one temperature; from zero, its axis still reads sensibly
            tAxis.setAutoRangeIncludesZero(true);
            tAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
            plot.setRangeAxis(1, tAxis);
            plot.setDataset(1, temp);
            plot.mapDatasetToRangeAxis(1, 1);
            XYLineAndShapeRenderer tr = new XYLineAndShapeRenderer(true, true);
            tr.setSeriesShape(0, new java.awt.geom.Rectangle2D.Double(-2.5, -2.5, 5, 5));
            tr.setSeriesPaint(0, PALETTE[2]);
            tr.setSeriesStroke(0, new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {5f, 4f}, 0f));
            plot.setRenderer(1, tr);
        }
        return svg(id, chart(title, plot, true), 720, 340);
    }

    private static XYSeriesCollection collection(Map<String, double[][]> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, xy) -> {
            XYSeries s = new XYSeries(name, false);
            for (double[] p : xy) {
                if (!Double.isNaN(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        });
        return data;
    }

    private static NumberAxis axis(String label, boolean integers) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        a.setLabelFont(LABEL);
        if (integers) {
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        return a;
    }

    private static void palette(int n, java.util.function.BiConsumer<Integer, Paint> set) {
        for (int i = 0; i < n; i++) {
            set.accept(i, PALETTE[i % PALETTE.length]);
        }
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
        JFreeChart c = new JFreeChart(title, TITLE, plot, legend);
        c.setBackgroundPaint(Color.WHITE);
        c.setAntiAlias(true);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(GRID);
        }
        LegendTitle l = c.getLegend();
        if (l != null) {
            l.setPosition(RectangleEdge.RIGHT);
            l.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        return c;
    }

    /** The chart as an inline SVG element with a unique id (and id-prefixed definitions). */
    static String svg(String id, JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(0, 0, width, height));
        return finish(id, g.getSVGElement(id), chart);
    }

    private static String finish(String id, String el, JFreeChart chart) {
        String label = chart.getTitle() == null ? id : chart.getTitle().getText();
        return el.replaceFirst("<svg ", "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.escape(label) + "\" ");
    }
}
