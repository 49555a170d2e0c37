package dev.graft.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's section for a cross-validation ({@code graft train --folds K}): each fold's held-out
 * metrics and their mean ± sd over folds; accuracy and macro-F1 for a classification, RMSE, MAE and
 * R² (in the target's units) for a regression. Stateless.
 */
final class CrossValidationSection {
    private CrossValidationSection() {}

    /** Appends the section to {@code page}. */
    static void write(HtmlReport page, RunResults.CrossValidated cv) {
        page.section("cross-validation", "Cross-validation");
        List<dev.graft.metrics.ClassificationMetrics> folds = cv.result().folds();
        boolean regression = folds.stream().anyMatch(m -> m != null && m.regression() != null);
        if (regression) {
            // a regression's folds have no accuracy: RMSE, MAE and R² in the target's units
            List<dev.graft.metrics.RegressionMetrics> ok = folds.stream().filter(m -> m != null && m.regression() != null)
                    .map(dev.graft.metrics.ClassificationMetrics::regression).toList();
            page.para(String.format(Locale.ROOT, "%s, %d-fold cross-validation on the training pool: RMSE %s, MAE %s, "
                    + "R² %s (mean ± sd over folds).", cv.strategy(), folds.size(),
                    summary(ok, dev.graft.metrics.RegressionMetrics::rmse), summary(ok, dev.graft.metrics.RegressionMetrics::mae),
                    summary(ok, dev.graft.metrics.RegressionMetrics::r2)));
        } else {
            page.para(String.format(Locale.ROOT, "%s, %d-fold stratified cross-validation on the training pool: "
                    + "accuracy %s, macro-F1 %s (mean ± sd over folds).", cv.strategy(), folds.size(),
                    cv.result().accuracy().format(3), cv.result().macroF1().format(3)));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(regression ? new String[] {"fold", "RMSE", "MAE", "R²", "samples"}
                : new String[] {"fold", "accuracy", "macro-F1", "samples"});
        for (int f = 0; f < folds.size(); f++) {
            var m = folds.get(f);
            if (m == null) {
                rows.add(regression ? new String[] {String.valueOf(f + 1), "diverged", "", "", ""}
                        : new String[] {String.valueOf(f + 1), "diverged", "", ""});
            } else if (regression) {
                var r = m.regression();
                rows.add(new String[] {String.valueOf(f + 1), String.format(Locale.ROOT, "%.4g", r.rmse()),
                    String.format(Locale.ROOT, "%.4g", r.mae()), String.format(Locale.ROOT, "%.4f", r.r2()),
                    String.valueOf(r.truth() == null ? 0 : r.truth().length)});
            } else {
                rows.add(new String[] {String.valueOf(f + 1), String.format(Locale.ROOT, "%.4f", m.accuracy()),
                    String.format(Locale.ROOT, "%.4f", m.macroF1()), String.valueOf(java.util.Arrays.stream(m.confusion())
                            .flatMapToInt(java.util.Arrays::stream).sum())});
            }
        }
        page.body(Html.table(rows));
        page.end();
    }

    /** Mean ± sd of one regression metric over folds, to 4 significant digits. */
    private static String summary(List<dev.graft.metrics.RegressionMetrics> folds,
            java.util.function.ToDoubleFunction<dev.graft.metrics.RegressionMetrics> metric) {
        dev.graft.metrics.Summary s = dev.graft.metrics.Summary.of(folds.stream().mapToDouble(metric).toArray());
        return String.format(Locale.ROOT, "%.4g ± %.4g", s.mean(), s.sd());
    }
}
