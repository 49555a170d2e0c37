package dev.graft.report;

import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.SearchTrace;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.provenance.Provenance;
import dev.graft.train.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** A small, fully known comparison and search, to render without training anything. */
final class SampleResults {
    private SampleResults() {}

    static final List<String> CLASSES = List.of("cat", "dog", "<bird & co>");

    /** Accuracy of seed s for a strategy: base + 0.1·s, so means and sds are known by hand. */
    static RunRecord run(String strategy, int shots, long seed, double accuracy, SearchTrace trace) {
        return run(strategy, shots, seed, accuracy, trace, 1.0 + seed, null);
    }

    /** A run with its training time and transfer map given (null: the small three-layer map). */
    static RunRecord run(String strategy, int shots, long seed, double accuracy, SearchTrace trace, double seconds,
            List<LayerDecision> layers) {
        int n = 10;
        int[] truth = new int[n * 3];
        int[] pred = new int[n * 3];
        int correct = (int) Math.round(accuracy * truth.length);
        for (int i = 0; i < truth.length; i++) {
            truth[i] = i % 3;
            pred[i] = i < correct ? truth[i] : (truth[i] + 1) % 3;
        }
        List<TrainResult.EpochRecord> history = new ArrayList<>();
        for (int e = 0; e < 4 + seed; e++) {
            history.add(new TrainResult.EpochRecord(e, 1.0 / (e + 1), accuracy - 0.1 / (e + 1), 0.01, 4, 0.1));
        }
        List<LayerDecision> transfer = List.of(
                new LayerDecision("features.0", "conv2d", strategy.equals("scratch") ? LayerDecision.REINITIALIZED
                        : LayerDecision.FROZEN, strategy.equals("scratch") ? 1 : 0,
                        strategy.equals("scratch") ? 0 : 1, 160, strategy.equals("scratch") ? 160 : 0, "features.0"),
                new LayerDecision("features.4", "conv2d", LayerDecision.PARTLY, 0.5, 0.75, 18464, 18464, "features.4"),
                new LayerDecision("classifier.4", "linear", LayerDecision.REINITIALIZED, 1, 0, 645, 645,
                        "classifier.4"));
        return new RunRecord(strategy, shots, seed, TrainResult.Status.EARLY_STOPPED, "patience",
                ClassificationMetrics.of(truth, pred, 3, Double.NaN), history.size(), history.size() - 2,
                seconds, seconds + 0.5, history, layers == null ? transfer : layers, trace,
                new dev.graft.experiment.Retention(0.9, strategy.equals("scratch") ? 0.3 : 0.9 - 0.01 * seed));
    }

    static SearchTrace annealingTrace() {
        List<SearchTrace.Point> points = new ArrayList<>();
        double best = Double.NaN;
        double[] values = {0.5, 0.6, 0.55, 0.7, Double.NaN, 0.65};
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i]) && (Double.isNaN(best) || values[i] > best)) {
                best = values[i];
            }
            points.add(new SearchTrace.Point(i, Double.isNaN(values[i]) ? "failed" : "complete", values[i], best,
                    i < 2 ? Double.NaN : 0.1 * (6 - i), "policy " + i));
        }
        return new SearchTrace("annealing", "accuracy", points, List.of());
    }

    static SearchTrace geneticTrace() {
        List<SearchTrace.Point> points = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            points.add(new SearchTrace.Point(i, "complete", 0.5 + 0.03 * i, 0.5 + 0.03 * i, Double.NaN, "p" + i));
        }
        return new SearchTrace("genetic", "accuracy", points, List.of(new SearchTrace.Generation(1, 0.6, 0.55, 0.1),
                new SearchTrace.Generation(2, 0.71, 0.62, 0.1)));
    }

    /** scratch (0.6, 0.7, 0.8), partial (0.7, 0.8, 0.9) at 5 shots; genetic and annealing searches. */
    static RunResults comparison(Path dir) {
        List<RunRecord> runs = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            runs.add(run("scratch", 5, seed, 0.6 + 0.1 * seed, null));
            runs.add(run("partial", 5, seed, 0.7 + 0.1 * seed, null));
            runs.add(run("genetic", 5, seed, 0.7, geneticTrace()));
            runs.add(run("annealing", 5, seed, 0.7, annealingTrace()));
        }
        return new RunResults(dir, "sample <experiment>", provenance(), CLASSES, runs, Optional.empty());
    }

    /** Sixteen strategies, the usual names first, so colours and markers must last past eight series. */
    static final List<String> MANY = List.of("scratch", "linear-probe", "finetune", "partial", "l2sp", "lwf", "ewc",
            "discriminative-lr", "gradual-unfreeze", "bitfit", "distill", "mixup-finetune", "genetic", "annealing",
            "tpe", "random-search");

    /**
     * The 41 layers of a ResNet-18 with trainable parameters, by PyTorch's names: the stem, four
     * stages of two basic blocks (the first block of stages 2-4 with a downsample) and the head.
     */
    static List<String[]> resnet18Layers() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"conv1", "conv2d"});
        out.add(new String[] {"bn1", "batchnorm2d"});
        for (int stage = 1; stage <= 4; stage++) {
            for (int block = 0; block < 2; block++) {
                String p = "layer" + stage + "." + block + ".";
                out.add(new String[] {p + "conv1", "conv2d"});
                out.add(new String[] {p + "bn1", "batchnorm2d"});
                out.add(new String[] {p + "conv2", "conv2d"});
                out.add(new String[] {p + "bn2", "batchnorm2d"});
                if (stage > 1 && block == 0) {
                    out.add(new String[] {p + "downsample.0", "conv2d"});
                    out.add(new String[] {p + "downsample.1", "batchnorm2d"});
                }
            }
        }
        out.add(new String[] {"fc", "linear"});
        return out;
    }

    /**
     * A ResNet-18-sized comparison: {@link #MANY} strategies × 5 and 10 shots × 3 seeds, each run
     * with a 41-layer transfer map whose decisions and multipliers vary by strategy and depth, and
     * training times spread so that some strategies cost nearly the same.
     */
    static RunResults large(Path dir) {
        List<String[]> layers = resnet18Layers();
        String[] decisions = {LayerDecision.FROZEN, LayerDecision.FINE_TUNED, LayerDecision.PARTLY,
            LayerDecision.REINITIALIZED};
        double[] rates = {0, 1, 0.1, 0.0316, 0.001, 0.3};
        List<RunRecord> runs = new ArrayList<>();
        for (int s = 0; s < MANY.size(); s++) {
            String strategy = MANY.get(s);
            List<LayerDecision> map = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                String d = decisions[(s + l / 6) % decisions.length];
                double fraction = d.equals(LayerDecision.REINITIALIZED) ? 0 : d.equals(LayerDecision.PARTLY) ? 0.5 : 1;
                long params = 1000L * (l + 1);
                map.add(new LayerDecision(layers.get(l)[0], layers.get(l)[1], d,
                        d.equals(LayerDecision.FROZEN) ? 0 : rates[(s + l) % rates.length], fraction, params,
                        d.equals(LayerDecision.FROZEN) ? 0 : params, null)); // no group: as results from before groups
            }
            SearchTrace trace = strategy.equals("genetic") ? geneticTrace()
                    : strategy.equals("annealing") ? annealingTrace() : null;
            for (int shots : new int[] {5, 10}) {
                for (long seed = 0; seed < 3; seed++) {
                    // 15-27 correct of 30: close means for some, clear gaps for others
                    int correct = 15 + (s * 7 + (int) seed * 3 + shots) % 13;
                    double seconds = 2 + (s % 5) * 3.5 + (s / 5) * 0.4 + shots * 0.3 + seed * 0.1;
                    runs.add(run(strategy, shots, seed, correct / 30.0, trace, seconds, map));
                }
            }
        }
        return new RunResults(dir, "resnet-18-sized <comparison>", provenance(), CLASSES, runs, Optional.empty());
    }

    /** A search with a two-objective Pareto front. */
    static RunResults search(Path dir) {
        LinkedHashMap<String, Double> a = new LinkedHashMap<>();
        a.put("target accuracy", 0.8);
        a.put("source retention", 0.6);
        LinkedHashMap<String, Double> b = new LinkedHashMap<>();
        b.put("target accuracy", 0.7);
        b.put("source retention", 0.9);
        RunRecord best = run("best", 5, 0, 0.8, null);
        RunResults.Search s = new RunResults.Search("annealing", "accuracy", 5, "features.0=frozen", 0.7, best.test(),
                best.transfer(), best.history(), annealingTrace(),
                List.of(new RunResults.ParetoPoint("A", a), new RunResults.ParetoPoint("B", b)), true);
        return new RunResults(dir, "sample search", provenance(), CLASSES, List.of(), Optional.of(s));
    }

    static Provenance provenance() {
        return new Provenance("source.safetensors", "ab".repeat(32), "0.1.0", "0.36.0", "2.7.1", "17", "Linux",
                "amd64", "2026-11-28T00:00:00Z");
    }
}
