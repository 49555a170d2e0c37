package dev.graft.report;

import dev.graft.checkpoint.AtomicFiles;
import dev.graft.experiment.Comparison;
import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.SearchTrace;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.metrics.Summary;
import dev.graft.provenance.Provenance;
import dev.graft.train.TrainResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The run's report as one self-contained HTML page: inline CSS and SVG only, no scripts, fonts
 * or images from anywhere, so that it opens from disk on a machine with no network.
 */
public final class HtmlReport {
    private final RunResults results;
    private final StringBuilder body = new StringBuilder();
    private final List<String[]> nav = new ArrayList<>();
    private int charts;

    private HtmlReport(RunResults results) {
        this.results = results;
    }

    /** Reads {@code dir}'s results and writes {@code dir/report.html} atomically; returns its path. */
    public static Path write(Path dir) throws IOException {
        return write(RunResults.read(dir));
    }

    /** Writes {@code report.html} into the results' directory atomically; returns its path. */
    public static Path write(RunResults results) throws IOException {
        Path file = results.dir().resolve("report.html");
        AtomicFiles.writeString(file, render(results));
        return file;
    }

    /** The page. */
    public static String render(RunResults results) {
        HtmlReport r = new HtmlReport(results);
        r.summary();
        boolean regression = RegressionReport.applies(results);
        if (!results.runs().isEmpty()) {
            if (regression) {
                RegressionReport.comparison(r, results);
            } else {
                r.comparison();
                r.groups();
            }
            r.learningCurves();
            if (regression) {
                RegressionReport.bestModel(r, results);
            } else {
                r.bestModel();
            }
            r.transferMap();
            r.searchTraces();
        }
        results.search().ifPresent(r::search);
        results.crossValidation().ifPresent(cv -> CrossValidationSection.write(r, cv));
        return r.page();
    }

    void section(String id, String title) {
        nav.add(new String[] {id, title});
        body.append("<section id=\"").append(id).append("\">\n<h2>").append(Html.escape(title)).append("</h2>\n");
    }

    void end() {
        body.append("</section>\n");
    }

    String nextId(String kind) {
        return "chart-" + (++charts) + "-" + kind;
    }

    void figure(String svg, String caption) {
        body.append("<figure>").append(svg).append("<figcaption>").append(Html.escape(caption))
                .append("</figcaption></figure>\n");
    }

    /** Appends raw HTML (a table) to the page. */
    void body(String html) {
        body.append(html);
    }

    void para(String text) {
        body.append("<p>").append(Html.escape(text)).append("</p>\n");
    }

    // --- run summary and provenance ---------------------------------------------------------

    private void summary() {
        section("summary", "Summary");
        List<RunRecord> runs = results.runs();
        if (!runs.isEmpty()) {
            TreeSet<Integer> shots = new TreeSet<>();
            TreeSet<Long> seeds = new TreeSet<>();
            List<String> strategies = new ArrayList<>();
            for (RunRecord r : runs) {
                shots.add(r.shots());
                seeds.add(r.seed());
                if (!strategies.contains(r.strategy())) {
                    strategies.add(r.strategy());
                }
            }
            // shots 0 is the whole pool, which the tables call "all"
            List<String> shotWords = shots.stream().map(k -> k == 0 ? "all" : String.valueOf(k)).toList();
            para(String.format(Locale.ROOT, "%d run%s: %d strateg%s (%s) × shots %s × %d seed%s.", runs.size(),
                    runs.size() == 1 ? "" : "s", strategies.size(), strategies.size() == 1 ? "y" : "ies",
                    String.join(", ", strategies), shotWords, seeds.size(), seeds.size() == 1 ? "" : "s"));
            // a winner is named only on paired evidence over the same seeds, never on the means alone
            // paired verdicts compare test accuracy; a regression's comparison is in its own table
            List<PairedComparison> verdicts = RegressionReport.applies(results) ? List.of() : PairedComparison.of(runs);
            verdicts.forEach(pc -> para(Evidence.verdict(pc)));
            body.append(Evidence.tables(verdicts));
        }
        results.search().ifPresent(s -> para(s.finished()
                ? String.format(Locale.ROOT, "Policy search (%s, %d trials): best validation %s %.4f by %s.",
                        s.sampler(), s.trace().trials().size(), s.metric(), s.bestValidation(), s.bestPolicy())
                : String.format(Locale.ROOT, "Unfinished policy search: %d trials in its journal, best validation %.4f.",
                        s.trace().trials().size(), s.bestValidation())));
        Provenance p = results.provenance();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", ""});
        rows.add(new String[] {"experiment", results.experiment()});
        rows.add(new String[] {"results", results.dir().toString()});
        if (p != null) {
            rows.add(new String[] {"source checkpoint", p.sourceFile()});
            rows.add(new String[] {"source SHA-256", p.sourceSha256()});
            rows.add(new String[] {"made", p.time()});
            rows.add(new String[] {"Graft / DJL / PyTorch", p.graftVersion() + " / " + p.djlVersion() + " / "
                    + p.pytorchVersion()});
            rows.add(new String[] {"Java", p.java()});
            rows.add(new String[] {"platform", p.os() + " (" + p.arch() + ")"});
        }
        rows.add(RegressionReport.applies(results) ? new String[] {"target (regression)",
            String.join(", ", results.classNames())} : new String[] {"classes", String.join(", ", results.classNames())});
        body.append("<h3>Provenance</h3>\n").append(Html.table(rows).replace("<tr><th></th><th></th></tr>\n", ""));
        end();
    }

    // --- comparison -------------------------------------------------------------------------

    private void comparison() {
        section("comparison", "Strategy comparison");
        List<Comparison.Row> rows = new Comparison(results.runs()).rows();
        boolean retention = results.runs().stream().anyMatch(r -> r.retention() != null);
        List<String[]> table = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("strategy", "shots", "accuracy (mean ± sd)",
                "macro-F1 (mean ± sd)"));
        ModelColumns model = ModelColumns.of(results.runs());
        head.addAll(model.headers());
        if (retention) {
            head.add("forgetting (mean ± sd)");
        }
        boolean byGroup = GroupTables.any(results.runs());
        if (byGroup) {
            head.addAll(List.of("worst group accuracy", "group gap"));
        }
        head.addAll(List.of("train s", "trainable parameters", "epochs", "seeds"));
        table.add(head.toArray(String[]::new));
        for (Comparison.Row r : rows) {
            List<RunRecord> group = group(r.strategy(), r.shots());
            List<String> row = new ArrayList<>(List.of(r.strategy(), shotLabel(r.shots()),
                r.accuracy().n() == 0 ? "diverged" : r.accuracy().format(3),
                r.macroF1().n() == 0 ? "-" : r.macroF1().format(3)));
            row.addAll(model.cells(r));
            if (retention) {
                row.add(r.forgetting().n() == 0 ? "-" : r.forgetting().format(3));
            }
            if (byGroup) {
                row.add(r.worstGroupAccuracy().n() == 0 ? "-"
                        : r.worstGroupAccuracy().format(3) + " (" + r.worstGroup() + ")");
                row.add(r.groupGap().n() == 0 ? "-" : r.groupGap().format(3));
            }
            row.addAll(List.of(String.format(Locale.ROOT, "%.1f ± %.1f", r.seconds().mean(), nz(r.seconds().sd())),
                String.format(Locale.ROOT, "%,d", Math.round(group.stream()
                        .mapToLong(RunRecord::trainableParameters).average().orElse(0))),
                String.format(Locale.ROOT, "%.1f", group.stream().mapToInt(RunRecord::epochs).average().orElse(0)),
                r.accuracy().n() + (r.diverged() > 0 ? " (+" + r.diverged() + " diverged)" : "")));
            table.add(row.toArray(String[]::new));
        }
        if (retention) {
            RunRecord any = results.runs().stream().filter(r -> r.retention() != null).findFirst().orElseThrow();
            para(String.format(Locale.ROOT, "Forgetting: the source task's test accuracy through the source head, "
                    + "before (%.3f) minus after fine-tuning; 0 means the trunk the source head reads is unchanged.",
                    any.retention().before()));
        }
        model.notes().forEach(this::para);
        int[] numeric = java.util.stream.IntStream.range(1, head.size()).toArray();
        body.append(Html.table(table, numeric));
        if (retention) {
            figure(Charts.bars(nextId("forgetting"), "Forgetting of the source task by strategy",
                    "source accuracy lost", bars(rows, Comparison.Row::forgetting), true),
                    "Mean over seeds of source test accuracy before minus after; error bars ± one sd.");
        }

        figure(Charts.bars(nextId("accuracy"), "Test accuracy by strategy", "test accuracy",
                bars(rows, Comparison.Row::accuracy), false),
                "Mean over seeds; error bars are ± one standard deviation.");
        figure(Charts.bars(nextId("macro-f1"), "Test macro-F1 by strategy", "test macro-F1",
                bars(rows, Comparison.Row::macroF1), false),
                "Mean over seeds; error bars are ± one standard deviation.");
        figure(Charts.bars(nextId("time"), "Training time by strategy", "seconds per run",
                bars(rows, Comparison.Row::seconds), true),
                "Wall time of training per run (for a search: the whole search).");
        Map<String, List<Charts.Point>> cost = new LinkedHashMap<>();
        for (int k : shotsOf(rows)) {
            cost.put(shotLabel(k) + " shots", rows.stream().filter(r -> r.shots() == k && r.accuracy().n() > 0)
                    .map(r -> new Charts.Point(r.strategy(), r.seconds().mean(), r.accuracy().mean())).toList());
        }
        figure(Charts.scatter(nextId("cost"), "Accuracy against cost", "training seconds per run",
                "mean test accuracy", cost), "Each point is one strategy at one shot count, labelled with the "
                        + "strategy; marker and colour give the shot count.");
        end();
    }

    /** Metrics per group, when the experiment defines groups. */
    private void groups() {
        if (!GroupTables.any(results.runs())) {
            return;
        }
        section("groups", "Per-group metrics");
        para(GroupTables.explanation());
        body.append(Html.table(GroupTables.rows(results.runs()), 1, 3, 4, 5, 6));
        end();
    }

    private static List<Charts.Bar> bars(List<Comparison.Row> rows, java.util.function.Function<Comparison.Row,
            Summary> value) {
        List<Charts.Bar> out = new ArrayList<>();
        for (Comparison.Row r : rows) {
            Summary s = value.apply(r);
            if (s.n() > 0) {
                out.add(new Charts.Bar(shotLabel(r.shots()) + " shots", r.strategy(), s.mean(), s.sd()));
            }
        }
        return out;
    }

    // --- learning curves --------------------------------------------------------------------

    private void learningCurves() {
        section("curves", "Learning curves");
        para("Per strategy, the mean over seeds of each epoch's validation metric and training loss (runs that "
                + "stopped early drop out of later epochs' means).");
        for (int k : new TreeSet<>(results.runs().stream().map(RunRecord::shots).toList())) {
            Map<String, double[][]> validation = new LinkedHashMap<>();
            Map<String, double[][]> loss = new LinkedHashMap<>();
            for (String strategy : strategies()) {
                List<RunRecord> group = group(strategy, k);
                validation.put(strategy, meanCurve(group, TrainResult.EpochRecord::validation));
                loss.put(strategy, meanCurve(group, TrainResult.EpochRecord::trainLoss));
            }
            if (validation.values().stream().anyMatch(c -> c.length > 0 && !Double.isNaN(c[0][1]))) {
                figure(Charts.lines(nextId("validation"), "Validation metric per epoch, " + shotLabel(k) + " shots",
                        "epoch", "validation metric", validation, false), "Mean over seeds.");
            }
            figure(Charts.lines(nextId("loss"), "Training loss per epoch, " + shotLabel(k) + " shots", "epoch",
                    "training loss", loss, false), "Mean over seeds; includes regularization penalties.");
        }
        end();
    }

    private static double[][] meanCurve(List<RunRecord> runs, java.util.function.ToDoubleFunction<
            TrainResult.EpochRecord> value) {
        return pointwiseMean(runs.stream().map(r -> r.history().stream().mapToDouble(value).toArray()).toList());
    }

    /** (i + 1, mean of the i-th values that are not NaN) for every index some sequence reaches. */
    static double[][] pointwiseMean(List<double[]> sequences) {
        int n = sequences.stream().mapToInt(v -> v.length).max().orElse(0);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int count = 0;
            for (double[] v : sequences) {
                if (i < v.length && !Double.isNaN(v[i])) {
                    sum += v[i];
                    count++;
                }
            }
            if (count > 0) {
                out.add(new double[] {i + 1, sum / count});
            }
        }
        return out.toArray(double[][]::new);
    }

    // --- the best model ---------------------------------------------------------------------

    /**
     * The run a reader should look at: the median run (by test accuracy, the lower one for an even
     * count) of the strategy the summary points to at the largest shot count, so that one lucky
     * seed of another strategy is not presented as the model to use.
     */
    private void bestModel() {
        List<PairedComparison> verdicts = PairedComparison.of(results.runs());
        if (verdicts.isEmpty()) {
            return;
        }
        PairedComparison top = verdicts.get(verdicts.size() - 1);
        RunRecord shown = medianRun(top.best(), top.shots());
        section("best", "Recommended model");
        para(String.format(Locale.ROOT, "The median run of %s at %s shots, %s: seed %d — accuracy %.3f, macro-F1 "
                + "%.3f, %d epochs (weights of epoch %d kept). Its mean over %d seeds is %s.", top.best(),
                shotLabel(top.shots()), top.clearWinner() ? "the clear winner there"
                        : top.pairs().isEmpty() ? "the only strategy there"
                        : "the strategy with the highest mean test accuracy there (no clear winner, see the summary)",
                shown.seed(), shown.accuracy(), shown.macroF1(), shown.epochs(), shown.bestEpoch() + 1,
                top.accuracy().n(), top.accuracy().format(3)));
        results.runs().stream().filter(r -> r.test() != null).max(Comparator.comparingDouble(RunRecord::accuracy))
                .filter(lucky -> lucky != shown && lucky.accuracy() > shown.accuracy())
                .ifPresent(lucky -> para(String.format(Locale.ROOT, "The single highest test accuracy of any run, "
                        + "%.3f by %s at %s shots with seed %d, is one seed's luck and is not shown.", lucky.accuracy(),
                        lucky.strategy(), shotLabel(lucky.shots()), lucky.seed())));
        metricsOf(shown.test());
        end();
    }

    /** The lower median by test accuracy of a strategy's finished runs at a shot count (ties by seed). */
    private RunRecord medianRun(String strategy, int shots) {
        List<RunRecord> ok = group(strategy, shots).stream().filter(r -> r.test() != null)
                .sorted(Comparator.comparingDouble(RunRecord::accuracy).thenComparingLong(RunRecord::seed)).toList();
        return ok.isEmpty() ? null : ok.get((ok.size() - 1) / 2);
    }

    private void metricsOf(ClassificationMetrics m) {
        List<String> names = results.classNames();
        figure(Diagrams.confusion(nextId("confusion"), m.confusion(), names),
                "Rows are the true classes, columns the predictions; colour is the share of the row.");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"class", "precision", "recall", "F1", "support"});
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        bars.put("precision", new LinkedHashMap<>());
        bars.put("recall", new LinkedHashMap<>());
        bars.put("F1", new LinkedHashMap<>());
        for (int c = 0; c < m.f1().length; c++) {
            String name = c < names.size() ? names.get(c) : "class " + c;
            int support = 0;
            for (int v : m.confusion()[c]) {
                support += v;
            }
            rows.add(new String[] {name, f3(m.precision()[c]), f3(m.recall()[c]), f3(m.f1()[c]),
                String.valueOf(support)});
            bars.get("precision").put(name, m.precision()[c]);
            bars.get("recall").put(name, m.recall()[c]);
            bars.get("F1").put(name, m.f1()[c]);
        }
        body.append("<h3>Per-class metrics</h3>\n").append(Html.table(rows, 1, 2, 3, 4));
        figure(Charts.groupedBars(nextId("per-class"), "Per-class precision, recall and F1", "score", bars),
                "On the test set.");
    }

    // --- transfer map -----------------------------------------------------------------------

    private void transferMap() {
        Map<String, List<LayerDecision>> rows = new LinkedHashMap<>();
        int top = results.runs().stream().mapToInt(RunRecord::shots).boxed()
                .max(Comparator.comparingInt(PairedComparison::shotOrder)).orElse(0);
        for (String strategy : strategies()) {
            RunRecord median = medianRun(strategy, top);
            if (median != null && !median.transfer().isEmpty()) {
                rows.put(strategy + " (seed " + median.seed() + ")", median.transfer());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        section("transfer", "Transfer map");
        para("What each strategy did to each layer, for its median run at " + shotLabel(top) + " shots (a search's "
                + "policy differs by seed). Hover a box for its numbers.");
        figure(TransferMap.svg(nextId("transfer-map"), rows),
                "Colour: the decision; filled share: elements transferred from the source; label: learning-rate "
                        + "multiplier (with any layer-wise decay).");
        end();
    }

    // --- searches ---------------------------------------------------------------------------

    private void searchTraces() {
        List<String> searches = strategies().stream()
                .filter(s -> results.runs().stream().anyMatch(r -> r.strategy().equals(s) && r.search() != null))
                .toList();
        if (searches.isEmpty()) {
            return;
        }
        section("search", "Policy searches");
        results.runs().stream().filter(r -> r.search() != null && r.transfer() != null && !r.transfer().isEmpty())
                .findFirst().ifPresent(r -> policyLegend(r.transfer()));
        for (String s : searches) {
            List<RunRecord> runs = results.runs().stream().filter(r -> r.strategy().equals(s) && r.search() != null)
                    .toList();
            SearchTrace first = runs.get(0).search();
            body.append("<h3>").append(Html.escape(s)).append(" (").append(Html.escape(first.sampler()))
                    .append(")</h3>\n");
            Map<String, double[][]> bestSoFar = new LinkedHashMap<>();
            for (int k : new TreeSet<>(runs.stream().map(RunRecord::shots).toList())) {
                List<SearchTrace> traces = runs.stream().filter(r -> r.shots() == k).map(RunRecord::search).toList();
                bestSoFar.put(shotLabel(k) + " shots", meanBest(traces));
            }
            figure(Charts.lines(nextId("best-so-far"), s + ": best validation so far", "trials finished",
                    "best validation " + first.metric(), bestSoFar, true), "Mean over seeds.");
            RunRecord shown = runs.get(runs.size() - 1);
            traceOf(s + " at " + shotLabel(shown.shots()) + " shots, seed " + shown.seed(), shown.search());
        }
        end();
    }

    private static double[][] meanBest(List<SearchTrace> traces) {
        return pointwiseMean(traces.stream().map(t -> t.trials().stream().mapToDouble(SearchTrace.Point::best)
                .toArray()).toList());
    }

    private void traceOf(String label, SearchTrace t) {
        boolean annealing = t.trials().stream().anyMatch(p -> !Double.isNaN(p.temperature()));
        figure(Charts.trace(nextId("trace"), "Search trace: " + label, t), annealing
                ? "Each trial's validation value, the best so far, and the annealing temperature (right axis) "
                        + "when the trial was proposed."
                : "Each trial's validation value and the best so far.");
        if (!t.generations().isEmpty()) {
            Map<String, double[][]> g = new LinkedHashMap<>();
            g.put("best", t.generations().stream().map(x -> new double[] {x.generation(), x.best()})
                    .toArray(double[][]::new));
            g.put("mean", t.generations().stream().map(x -> new double[] {x.generation(), x.mean()})
                    .toArray(double[][]::new));
            figure(Charts.lines(nextId("generations"), "Genetic algorithm: fitness per generation", "generation",
                    "validation " + t.metric(), g, true), "Best and mean fitness of each finished generation.");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"trial", "state", "value", "best so far", "policy"});
        for (SearchTrace.Point p : t.trials()) {
            rows.add(new String[] {String.valueOf(p.trial()), p.state(), f4(p.value()), f4(p.best()), p.policy()});
        }
        body.append("<details><summary>").append(t.trials().size()).append(" trials</summary>\n")
                .append(Html.table(rows, 0, 2, 3)).append("</details>\n");
    }

    /** The policy notation's key, with the layer groups its letters stand for. */
    private void policyLegend(List<LayerDecision> layers) {
        boolean recorded = layers.stream().allMatch(d -> d.group() != null);
        // results written before layer groups were recorded: their groups were the linear and convolution layers
        List<String> groups = recorded ? layers.stream().map(LayerDecision::group).distinct().toList()
                : layers.stream().filter(d -> d.type().startsWith("linear") || d.type().startsWith("conv"))
                        .map(LayerDecision::layer).toList();
        para(dev.graft.search.TransferPolicy.legend(groups) + ".");
    }

    private void search(RunResults.Search s) {
        section("policy-search", "Policy search");
        para(s.finished()
                ? String.format(Locale.ROOT, "Sampler %s, %s shots per class; best policy %s with validation %s %.4f.",
                        s.sampler(), shotLabel(s.shots()), s.bestPolicy(), s.metric(), s.bestValidation())
                : "The search did not finish; this is its journal so far.");
        if (!s.classicalHead().isEmpty()) {
            para("Every trial ended in a classical head (" + s.classicalHead() + "): its validation values, the curve "
                    + "below excepted (the network's own head, trained with the encoder), and the test metrics are "
                    + "that head's.");
        }
        if (!s.transfer().isEmpty()) {
            policyLegend(s.transfer());
        }
        traceOf(s.sampler(), s.trace());
        if (!s.pareto().isEmpty()) {
            pareto(s.pareto());
        }
        if (!s.transfer().isEmpty()) {
            body.append("<h3>Transfer map of the best policy</h3>\n");
            figure(TransferMap.svg(nextId("transfer-map"), Map.of("best policy", s.transfer())),
                    "Colour: the decision; filled share: elements transferred; label: learning-rate multiplier.");
        }
        if (!s.history().isEmpty()) {
            Map<String, double[][]> curves = new LinkedHashMap<>();
            curves.put("validation", s.history().stream().map(e -> new double[] {e.epoch() + 1, e.validation()})
                    .toArray(double[][]::new));
            figure(Charts.lines(nextId("best-curve"), "Best policy: validation metric per epoch", "epoch",
                    "validation " + s.metric(), curves, true), "The best policy's final fine-tune.");
        }
        if (s.test() != null) {
            body.append("<h3>The best policy on the test set</h3>\n");
            para(s.test().headline() + " (measured once, after the search).");
            if (s.test().regression() == null) {
                metricsOf(s.test());
            }
        }
        end();
    }

    private void pareto(List<RunResults.ParetoPoint> front) {
        List<String> names = new ArrayList<>(front.get(0).objectives().keySet());
        body.append("<h3>Pareto front</h3>\n");
        if (names.size() >= 2) {
            // a policy's one-line summary is too long for a point label; the table below lists them
            Map<String, List<Charts.Point>> pts = new LinkedHashMap<>();
            pts.put("non-dominated policies", front.stream().map(p -> new Charts.Point("",
                p.objectives().get(names.get(0)), p.objectives().get(names.get(1)))).toList());
            figure(Charts.scatter(nextId("pareto"), "Pareto front", names.get(0), names.get(1), pts),
                    "Policies no other evaluated policy beats on every objective.");
        }
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("policy"));
        head.addAll(names);
        rows.add(head.toArray(String[]::new));
        for (RunResults.ParetoPoint p : front) {
            List<String> row = new ArrayList<>(List.of(p.policy()));
            names.forEach(n -> row.add(objective(p.objectives().getOrDefault(n, Double.NaN))));
            rows.add(row.toArray(String[]::new));
        }
        body.append(Html.table(rows));
    }

    // --- helpers ----------------------------------------------------------------------------

    private List<String> strategies() {
        List<String> out = new ArrayList<>();
        results.runs().forEach(r -> {
            if (!out.contains(r.strategy())) {
                out.add(r.strategy());
            }
        });
        return out;
    }

    private List<RunRecord> group(String strategy, int shots) {
        return results.runs().stream().filter(r -> r.strategy().equals(strategy) && r.shots() == shots).toList();
    }

    private static List<Integer> shotsOf(List<Comparison.Row> rows) {
        return new ArrayList<>(new TreeSet<>(rows.stream().map(Comparison.Row::shots).toList()));
    }

    static String shotLabel(int shots) {
        return shots == 0 ? "all" : String.valueOf(shots);
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** An objective's value: counts (parameters) with thousands separators, the rest to 4 places. */
    private static String objective(double v) {
        return v == Math.rint(v) && Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,d", (long) v) : f4(v);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private String page() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Graft report: ").append(Html.escape(results.experiment())).append("</title>\n")
                .append("<style>\n").append(Html.CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>Graft report: ").append(Html.escape(results.experiment())).append("</h1>\n<nav>");
        for (String[] n : nav) {
            b.append("<a href=\"#").append(n[0]).append("\">").append(Html.escape(n[1])).append("</a> ");
        }
        b.append("</nav></header>\n<main>\n").append(body).append("</main>\n")
                .append("<footer>Written by Graft; regenerate with <code>graft report ")
                .append(Html.escape(results.dir().toString())).append("</code>.</footer>\n</body>\n</html>\n");
        return b.toString();
    }
}
