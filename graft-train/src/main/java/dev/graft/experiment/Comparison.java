package dev.graft.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.checkpoint.AtomicFiles;
import dev.graft.metrics.GroupMetrics;
import dev.graft.metrics.Summary;
import dev.graft.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs summarized per strategy and shot count: the table users read and the results.json they
 * keep.
 *
 * @param runs every run, in order
 */
public record Comparison(List<RunRecord> runs) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One cell group of the table.
     *
     * @param strategy the strategy
     * @param shots shots per class
     * @param accuracy test accuracy over seeds
     * @param macroF1 test macro-F1 over seeds
     * @param seconds training wall time over seeds
     * @param diverged runs that diverged (left out of the means)
     * @param forgetting source accuracy lost over seeds (n = 0 when retention was not measured)
     * @param worstGroupAccuracy the worst group's test accuracy over seeds (n = 0 without data.groups)
     * @param groupGap the best group's test accuracy minus the worst's, over seeds (n = 0 without groups)
     * @param worstGroup the group that was worst in every seed, or "varies", or null without groups
     * @param robustAccuracy test accuracy under the experiment's attack over seeds (n = 0 without
     *     {@code robustness}, or for a strategy that does not measure it: ensembles)
     * @param exportBytes the ONNX export's size in bytes over seeds (n = 0 without {@code export},
     *     or for a strategy whose runs do not measure it; see {@link Deployment})
     * @param inferenceMs Graft's inference milliseconds per test sample over seeds (n = 0 likewise)
     * @param onnxAccuracy the exported file's test accuracy under ONNX Runtime over seeds (n = 0 likewise)
     * @param onnxMs the exported file's milliseconds per sample under ONNX Runtime over seeds (n = 0 likewise)
     * @param rmse a regression's test RMSE over seeds, in the target's units (n = 0 for a classification)
     * @param mae a regression's test MAE over seeds (n = 0 for a classification)
     * @param r2 a regression's test R² over seeds (n = 0 for a classification)
     */
    public record Row(String strategy, int shots, Summary accuracy, Summary macroF1, Summary seconds, int diverged,
            Summary forgetting, Summary worstGroupAccuracy, Summary groupGap, String worstGroup,
            Summary robustAccuracy, Summary exportBytes, Summary inferenceMs, Summary onnxAccuracy,
            Summary onnxMs, Summary rmse, Summary mae, Summary r2) {

        /** Runs that finished and were measured (the classification's or the regression's count). */
        public int measured() {
            return Math.max(accuracy.n(), rmse.n());
        }
    }

    /** One row per strategy and shot count, strategies in the order they ran. */
    public List<Row> rows() {
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            groups.computeIfAbsent(r.strategy() + "\u0000" + r.shots(), k -> new ArrayList<>()).add(r);
        }
        List<Row> out = new ArrayList<>();
        for (List<RunRecord> g : groups.values()) {
            List<RunRecord> ok = g.stream().filter(r -> r.test() != null).toList();
            List<RunRecord> reg = ok.stream().filter(RunRecord::regression).toList();
            List<RunRecord> cls = ok.stream().filter(r -> !r.regression()).toList();
            List<GroupMetrics> byGroup = ok.stream().map(RunRecord::testGroups).filter(java.util.Objects::nonNull)
                    .toList();
            List<String> worst = byGroup.stream().map(GroupMetrics::worstGroup).distinct().toList();
            out.add(new Row(g.get(0).strategy(), g.get(0).shots(),
                    Summary.of(cls.stream().mapToDouble(RunRecord::accuracy).toArray()),
                    Summary.of(cls.stream().mapToDouble(RunRecord::macroF1).toArray()),
                    Summary.of(g.stream().mapToDouble(RunRecord::trainSeconds).toArray()), g.size() - ok.size(),
                    Summary.of(g.stream().filter(r -> r.retention() != null)
                            .mapToDouble(r -> r.retention().forgetting()).toArray()),
                    Summary.of(byGroup.stream().mapToDouble(GroupMetrics::worstAccuracy).toArray()),
                    Summary.of(byGroup.stream().mapToDouble(GroupMetrics::gap).toArray()),
                    worst.isEmpty() ? null : worst.size() == 1 ? worst.get(0) : "varies",
                    Summary.of(ok.stream().mapToDouble(RunRecord::robustAccuracy).filter(v -> !Double.isNaN(v))
                            .toArray()),
                    deployed(ok, d -> d.exportBytes()),
                    deployed(ok, Deployment::inferenceMs), deployed(ok, Deployment::onnxAccuracy),
                    deployed(ok, Deployment::onnxMs),
                    Summary.of(reg.stream().mapToDouble(RunRecord::rmse).toArray()),
                    Summary.of(reg.stream().mapToDouble(RunRecord::mae).toArray()),
                    Summary.of(reg.stream().mapToDouble(RunRecord::r2).toArray())));
        }
        out.sort(java.util.Comparator.comparingInt(Row::shots));
        return out;
    }

    private static Summary deployed(List<RunRecord> runs, java.util.function.ToDoubleFunction<Deployment> figure) {
        return Summary.of(runs.stream().map(RunRecord::deployment).filter(java.util.Objects::nonNull)
                .mapToDouble(figure).toArray());
    }

    /**
     * The comparison as an aligned table: strategy × shots with accuracy, macro-F1 and time (a
     * regression's RMSE, MAE and R² in their place); with
     * {@code robustness}, the accuracy under attack beside them; with {@code export}, the ONNX
     * export's size and Graft's inference milliseconds per sample; with
     * groups ({@code data.groups}) also the worst group's accuracy (and which group it was) and the
     * gap between the best and the worst group.
     */
    public String table() {
        List<String[]> cells = new ArrayList<>();
        boolean forgetting = runs.stream().anyMatch(r -> r.retention() != null);
        boolean groups = runs.stream().anyMatch(r -> r.testGroups() != null);
        boolean robust = runs.stream().anyMatch(r -> !Double.isNaN(r.robustAccuracy()));
        boolean regression = runs.stream().anyMatch(RunRecord::regression);
        List<String> head = new ArrayList<>(regression ? List.of("strategy", "shots", "RMSE (mean ± sd)", "MAE", "R²")
                : List.of("strategy", "shots", "accuracy (mean ± sd)", "macro-F1"));
        if (robust) {
            head.add("robust accuracy");
        }
        List<String> exported = Deployment.headers(runs);
        head.addAll(exported);
        if (forgetting) {
            head.add("forgetting");
        }
        if (groups) {
            head.addAll(List.of("worst group", "gap"));
        }
        head.addAll(List.of("train s", "seeds"));
        cells.add(head.toArray(String[]::new));
        for (Row r : rows()) {
            List<String> row = new ArrayList<>(List.of(r.strategy(), r.shots() == 0 ? "all" : String.valueOf(r.shots())));
            if (regression) {
                row.addAll(List.of(r.rmse().n() == 0 ? "diverged" : r.rmse().format(4),
                        r.mae().n() == 0 ? "-" : r.mae().format(4), r.r2().n() == 0 ? "-" : r.r2().format(3)));
            } else {
                row.addAll(List.of(r.accuracy().n() == 0 ? "diverged" : r.accuracy().format(3),
                        r.macroF1().n() == 0 ? "-" : r.macroF1().format(3)));
            }
            if (robust) {
                row.add(r.robustAccuracy().n() == 0 ? "-" : r.robustAccuracy().format(3));
            }
            if (!exported.isEmpty()) {
                row.addAll(Deployment.cells(r));
            }
            if (forgetting) {
                row.add(r.forgetting().n() == 0 ? "-" : r.forgetting().format(3));
            }
            if (groups) {
                row.add(r.worstGroupAccuracy().n() == 0 ? "-"
                        : r.worstGroupAccuracy().format(3) + " (" + r.worstGroup() + ")");
                row.add(r.groupGap().n() == 0 ? "-" : r.groupGap().format(3));
            }
            row.add(String.format(Locale.ROOT, "%.1f", r.seconds().mean()));
            row.add(r.measured() + (r.diverged() > 0 ? " (+" + r.diverged() + " diverged)" : ""));
            cells.add(row.toArray(String[]::new));
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] row = cells.get(k);
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(w[i] - row[i].length());
                sb.append(i == 0 ? row[i] + pad : pad + row[i]).append(i + 1 < row.length ? "  " : "");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append("-".repeat(java.util.Arrays.stream(w).sum() + 2 * (w.length - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    /** Writes results.json atomically: provenance, the experiment, every run and the summary. */
    public void write(Path file, Prepared p, Provenance provenance) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", p.config().name());
        root.put("source", p.sourceLabel());
        root.set("provenance", JSON.valueToTree(provenance));
        root.set("config", JSON.valueToTree(p.config()));
        root.set("class_names", JSON.valueToTree(p.data().classNames()));
        ArrayNode summary = root.putArray("summary");
        for (Row r : rows()) {
            summary.add(JSON.valueToTree(r));
        }
        root.set("runs", JSON.valueToTree(runs));
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }
}
