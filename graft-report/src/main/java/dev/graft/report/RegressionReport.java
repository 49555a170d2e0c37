package dev.graft.report;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.RunRecord;
import dev.graft.metrics.RegressionMetrics;
import dev.graft.metrics.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections for a regression ({@code task: regression}): the comparison table and
 * bars of test RMSE, MAE and R² by strategy (in the target's units), and the recommended model
 * with the scatter of its predicted against its true test values. The learning curves, transfer
 * map and search sections are the classification's (their validation metric is RMSE). Stateless.
 */
final class RegressionReport {
    private RegressionReport() {}

    /** Whether the results are a regression's: any run measured RMSE. */
    static boolean applies(RunResults results) {
        return results.runs().stream().anyMatch(RunRecord::regression);
    }

    /** The comparison table and bar charts. */
    static void comparison(HtmlReport page, RunResults results) {
        page.section("comparison", "Strategy comparison");
        page.para("Test metrics in the target's own units (the model's standardized outputs turned back), mean ± sd "
                + "over seeds. Lower RMSE and MAE are better; R² is 1 for perfect predictions and 0 for predicting "
                + "the mean.");
        List<Comparison.Row> rows = new Comparison(results.runs()).rows();
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"strategy", "shots", "RMSE (mean ± sd)", "MAE", "R²", "train s", "seeds"});
        for (Comparison.Row r : rows) {
            table.add(new String[] {r.strategy(), HtmlReport.shotLabel(r.shots()),
                r.rmse().n() == 0 ? "diverged" : r.rmse().format(4), r.mae().n() == 0 ? "-" : r.mae().format(4),
                r.r2().n() == 0 ? "-" : r.r2().format(3), String.format(Locale.ROOT, "%.1f", r.seconds().mean()),
                r.measured() + (r.diverged() > 0 ? " (+" + r.diverged() + " diverged)" : "")});
        }
        page.body(Html.table(table, 2, 3, 4, 5, 6));
        page.figure(Charts.bars(page.nextId("rmse"), "Test RMSE by strategy", "test RMSE",
                bars(rows, Comparison.Row::rmse), true), "Mean over seeds; error bars are ± one standard deviation.");
        page.figure(Charts.bars(page.nextId("r2"), "Test R² by strategy", "test R²", bars(rows, Comparison.Row::r2),
                false), "Mean over seeds; error bars are ± one standard deviation.");
        page.end();
    }

    /**
     * The median run (by test RMSE, the lower one for an even count) of the strategy with the lowest
     * mean test RMSE at the largest shot count, and the scatter of its predictions.
     */
    static void bestModel(HtmlReport page, RunResults results) {
        int shots = results.runs().stream().mapToInt(RunRecord::shots).max().orElse(0);
        List<Comparison.Row> rows = new Comparison(results.runs()).rows().stream()
                .filter(r -> r.shots() == shots && r.rmse().n() > 0).toList();
        if (rows.isEmpty()) {
            return;
        }
        Comparison.Row top = rows.stream().min(Comparator.comparingDouble(r -> r.rmse().mean())).orElseThrow();
        List<RunRecord> ok = results.runs().stream().filter(r -> r.strategy().equals(top.strategy())
                && r.shots() == shots && r.regression())
                .sorted(Comparator.comparingDouble(RunRecord::rmse).thenComparingLong(RunRecord::seed)).toList();
        RunRecord shown = ok.get((ok.size() - 1) / 2);
        RegressionMetrics m = shown.test().regression();
        page.section("best", "Recommended model");
        page.para(String.format(Locale.ROOT, "The median run of %s at %s shots, the strategy with the lowest mean test "
                + "RMSE there (%s over %d seeds): seed %d — RMSE %.4g, MAE %.4g, R² %.3f, %d epochs (weights of "
                + "epoch %d kept).", top.strategy(), HtmlReport.shotLabel(shots), top.rmse().format(4), top.rmse().n(),
                shown.seed(), m.rmse(), m.mae(), m.r2(), shown.epochs(), shown.bestEpoch() + 1));
        String target = results.classNames().isEmpty() ? "target" : results.classNames().get(0);
        Map<String, List<Charts.Point>> pts = new LinkedHashMap<>();
        List<Charts.Point> p = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m.truth().length; i++) {
            p.add(new Charts.Point("", m.truth()[i], m.predicted()[i]));
            lo = Math.min(lo, Math.min(m.truth()[i], m.predicted()[i]));
            hi = Math.max(hi, Math.max(m.truth()[i], m.predicted()[i]));
        }
        pts.put("test samples", p);
        // the diagonal ŷ = y, drawn as two points of its own series, for the eye to measure against
        pts.put("ŷ = y (ends)", List.of(new Charts.Point("", lo, lo), new Charts.Point("", hi, hi)));
        page.figure(Charts.scatter(page.nextId("predicted"), "Predicted against true " + target + ", test set",
                "true " + target, "predicted " + target, pts), "One point per test sample; points on the diagonal "
                + "are exact predictions.");
        page.end();
    }

    private static List<Charts.Bar> bars(List<Comparison.Row> rows,
            java.util.function.Function<Comparison.Row, Summary> metric) {
        List<Charts.Bar> out = new ArrayList<>();
        for (Comparison.Row r : rows) {
            Summary s = metric.apply(r);
            if (s.n() > 0) {
                out.add(new Charts.Bar(HtmlReport.shotLabel(r.shots()) + " shots", r.strategy(), s.mean(), s.sd()));
            }
        }
        return out;
    }
}
