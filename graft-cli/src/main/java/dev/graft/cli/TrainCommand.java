package dev.graft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.AtomicFiles;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.experiment.CrossValidation;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.Strategies;
import dev.graft.provenance.Provenance;
import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft train EXP}: one fine-tune, its metrics, checkpoint and results JSON. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune once: transfer under the experiment's plan (or a strategy), train, evaluate, "
                + "and write the checkpoint and results.json.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "EXP", description = "The experiment (YAML).")
    Path experiment;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "A strategy to use instead of the experiment's plan (a built-in or one the experiment defines).")
    String strategy;

    @Option(names = "--seed", description = "The seed (default: the experiment's first).")
    Long seed;

    @Option(names = "--shots", description = "Shots per class (default: the experiment's first, or the whole pool).")
    Integer shots;

    @Option(names = "--quiet", description = "Print only the final metrics.")
    boolean quiet;

    @Option(names = "--folds", paramLabel = "K",
            description = "Cross-validate instead: stratified K-fold on the training pool; no checkpoint is written.")
    Integer folds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        ExperimentConfig c = ExperimentLoader.read(experiment);
        ExperimentRunner.Progress progress = quiet ? ExperimentRunner.Progress.NONE : new ConsoleProgress(out, true);
        Prepared p = ExperimentRunner.prepare(c, experiment, progress);
        if (!quiet) {
            // what Graft made of the data (classes found, statistics used) before the numbers it led to
            p.data().report().lines().forEach(out::println);
        }
        if (shots != null && shots < 1) {
            throw new GraftInputException("--shots: must be at least 1 (leave it out to use the whole pool), got " + shots);
        }
        long s = seed != null ? seed : c.seeds() == null || c.seeds().isEmpty() ? 0 : c.seeds().get(0);
        int k = shots != null ? shots : c.shots() == null || c.shots().isEmpty() ? 0 : c.shots().get(0);
        Strategies.Resolved chosen = choose(p, s);
        chosen = chosen.seeded(s);
        if (folds != null) {
            if (folds < 2) {
                throw new GraftInputException("--folds: cross-validation needs at least 2 folds, got " + folds);
            }
            return crossValidate(p, chosen, s, out);
        }
        Map<String, dev.graft.checkpoint.Tensor> weights = new LinkedHashMap<>();
        RunRecord r;
        dev.graft.train.ClassicalHead head = null;
        if (chosen.head() != null) {
            // a classical head: the network's tensors and, beside them, the fitted head's file
            ExperimentRunner.Splits sp = ExperimentRunner.splits(p, k, s);
            dev.graft.experiment.ClassicalRun.Result cr = dev.graft.experiment.ClassicalRun.run(p, chosen, k, s,
                    sp.train(), sp.validation(), p.data().test(), true, progress);
            r = cr.record();
            head = cr.head();
            if (cr.tensors() != null) {
                weights.putAll(cr.tensors());
            }
        } else {
            r = ExperimentRunner.run(p, chosen, k, s, progress, m -> weights.putAll(m.stateDict()));
        }
        if (progress instanceof ConsoleProgress console) {
            console.close();
        }
        Path folder = p.output().resolve("train").resolve(folderName(chosen.name()));
        Files.createDirectories(folder);
        Path ckpt = folder.resolve("model.safetensors");
        Provenance prov = Provenance.now(p.sourceLabel(), p.sourceSha256());
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(TransferOutput.PROVENANCE, prov.toJson());
        meta.put(TransferOutput.PLAN, PlanCodec.toCompactJson(chosen.plan()));
        meta.put("graft.train", json.valueToTree(chosen.train()).toString());
        meta.put("graft.seed", String.valueOf(s));
        meta.put("graft.strategy", chosen.name());
        meta.put(dev.graft.experiment.Preprocessing.KEY,
                dev.graft.experiment.Preprocessing.of(c.data(), p.data(), p.dir()).toJson());
        ObjectNode results = json.createObjectNode();
        results.put("experiment", c.name());
        results.put("strategy", chosen.name());
        results.set("provenance", json.valueToTree(prov));
        results.set("class_names", json.valueToTree(p.data().classNames()));
        results.set("run", json.valueToTree(r));
        results.put("checkpoint", ckpt.toString());
        if (head != null) {
            meta.put(dev.graft.experiment.HeadFile.KEY, dev.graft.experiment.HeadFile.save(ckpt, head, chosen.head())
                    .toJson());
            results.put("head", folder.resolve(dev.graft.experiment.HeadFile.NAME).toString());
        } else {
            // an earlier run's head must not sit beside a checkpoint that does not use it
            Files.deleteIfExists(folder.resolve(dev.graft.experiment.HeadFile.NAME));
        }
        if (r.status() != dev.graft.train.TrainResult.Status.DIVERGED) {
            SafetensorsWriter.write(ckpt, weights, meta);
        } else {
            // an earlier run's checkpoint must not sit beside this run's failure record
            Files.deleteIfExists(ckpt);
        }
        AtomicFiles.writeString(folder.resolve("results.json"),
                json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results) + "\n");
        if (r.transfer() != null && !r.transfer().isEmpty()) {
            // what the strategy did with the source, layer by layer, so the run says what it trained
            java.util.Map<String, Long> byDecision = r.transfer().stream().collect(java.util.stream.Collectors
                    .groupingBy(dev.graft.experiment.LayerDecision::decision, java.util.LinkedHashMap::new,
                            java.util.stream.Collectors.counting()));
            out.println("source: " + p.sourceLabel() + "; " + chosen.name() + " per layer: " + byDecision.entrySet()
                    .stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "))
                    + " (the full transfer report is in results.json)");
        }
        out.println(String.format(Locale.ROOT, "%s: %s after %d epoch%s (%s)", chosen.name(),
                r.status().name().toLowerCase(Locale.ROOT), r.epochs(), r.epochs() == 1 ? "" : "s", r.message()));
        if (r.test() != null) {
            out.println(String.format(Locale.ROOT, "test: %s  loss %.4f  (%d samples)", r.test().headline(),
                    r.test().loss(), p.data().test().size()));
            for (int i = 0; i < r.test().f1().length; i++) {
                out.println(String.format(Locale.ROOT, "  %-14s precision %.3f  recall %.3f  F1 %.3f",
                        p.data().classNames().get(i), r.test().precision()[i], r.test().recall()[i], r.test().f1()[i]));
            }
        }
        out.println(r.status() == dev.graft.train.TrainResult.Status.DIVERGED
                ? "no checkpoint written; the failure is recorded in " + folder.resolve("results.json")
                : "wrote " + ckpt + " and " + folder.resolve("results.json"));
        out.flush();
        return r.status() == dev.graft.train.TrainResult.Status.DIVERGED ? 1 : 0;
    }

    private int crossValidate(Prepared p, Strategies.Resolved chosen, long s, java.io.PrintWriter out)
            throws java.io.IOException {
        CrossValidation.Result cv = CrossValidation.run(p, chosen, folds, s,
                quiet ? ExperimentRunner.Progress.NONE : new ConsoleProgress(out, false));
        for (int f = 0; f < cv.folds().size(); f++) {
            var m = cv.folds().get(f);
            out.println(m == null ? "fold " + (f + 1) + ": diverged"
                    : String.format(Locale.ROOT, "fold %d: %s", f + 1, m.headline()));
        }
        if (p.data().pool().regression()) {
            var rmse = dev.graft.metrics.Summary.of(cv.folds().stream().filter(java.util.Objects::nonNull)
                    .mapToDouble(m -> m.regression().rmse()).toArray());
            out.println(chosen.name() + ", " + folds + "-fold cross-validation: RMSE " + rmse.format(4));
        } else {
            out.println(chosen.name() + ", " + folds + "-fold cross-validation: accuracy " + cv.accuracy().format(4)
                    + ", macro-F1 " + cv.macroF1().format(4));
        }
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = json.createObjectNode();
        results.put("experiment", p.config().name());
        results.put("strategy", chosen.name());
        results.set("provenance", json.valueToTree(Provenance.now(p.sourceLabel(), p.sourceSha256())));
        results.set("class_names", json.valueToTree(p.data().classNames()));
        results.set("cross_validation", json.valueToTree(cv));
        Path file = p.output().resolve("cv").resolve(folderName(chosen.name())).resolve("results.json");
        AtomicFiles.writeString(file, json.writeValueAsString(results) + "\n");
        out.println("results: " + file);
        out.flush();
        return 0;
    }

    /** A strategy's name as one safe folder name (names come from YAML: no separators, no dot files). */
    static String folderName(String strategy) {
        String safe = strategy.replaceAll("[^A-Za-z0-9_.+-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /** Strategies that train several models or none of their own: run by graft compare. */
    private static final java.util.Set<String> NOT_TRAINED_ONCE = java.util.Set.of("distill", "ensemble", "reptile",
            "dann");

    private Strategies.Resolved choose(Prepared p, long s) {
        if (strategy != null) {
            // only the named strategy is resolved: before, every strategy of the experiment was, as a
            // built-in, so a search (base: tpe) or a distillation anywhere in it refused the whole file
            java.util.List<ExperimentConfig.StrategySpec> specs = p.config().strategies() == null
                    ? java.util.List.of() : p.config().strategies();
            for (int i = 0; i < specs.size(); i++) {
                ExperimentConfig.StrategySpec spec = specs.get(i);
                if (strategy.equals(spec.name() != null ? spec.name() : spec.base())) {
                    String kind = spec.base() != null ? spec.base() : spec.name();
                    if (NOT_TRAINED_ONCE.contains(kind) || dev.graft.search.SearchStrategy.SAMPLERS.contains(kind)) {
                        // before: {name: tpe, trials: 8} trained 'full' (or fitted its head) without a search
                        throw new GraftInputException("--strategy " + strategy + ": '" + kind + "' is not one model "
                                + "trained once; run the experiment with graft compare"
                                + (dev.graft.search.SearchStrategy.SAMPLERS.contains(kind)
                                        ? " (or its search section with graft search)" : ""));
                    }
                    return Strategies.resolve(spec, p.layout(), p.train(), p.dir(), s,
                            p.file() + ": strategies[" + i + "]");
                }
            }
            if (Strategies.BUILT_IN.contains(strategy)) {
                return Strategies.resolve(ExperimentConfig.StrategySpec.named(strategy), p.layout(), p.train(), p.dir(),
                        s, "--strategy");
            }
            if (dev.graft.search.SearchStrategy.SAMPLERS.contains(strategy) || NOT_TRAINED_ONCE.contains(strategy)) {
                throw new GraftInputException("--strategy " + strategy + ": '" + strategy + "' is not one model trained "
                        + "once; run the experiment with graft compare");
            }
            throw new GraftInputException("--strategy: no strategy named '" + strategy + "'");
        }
        if (p.config().head() != null || p.config().contrastive() != null) {
            // the experiment's classical head (the one graft search fits): on the transferred encoder,
            // or after tuning it on pairs; the top-level plan composes under it as under any strategy
            boolean pairs = p.config().contrastive() != null;
            // refused here, naming the top-level keys (the strategy below would name itself)
            dev.graft.experiment.FeatureHead.of(p.config().head(), p.config().contrastive(), pairs, p.layout(),
                    p.file() + ": ");
            String name = pairs ? "contrastive" : p.config().head().type() == null ? "logistic_regression"
                    : p.config().head().type();
            return Strategies.resolve(new ExperimentConfig.StrategySpec(name, pairs ? "contrastive" : null, null, null,
                    null, null, null, null, null, null, p.config().head(), p.config().contrastive()), p.layout(),
                    p.train(), p.dir(), s, p.file() + ": " + name);
        }
        if (p.config().plan() != null) {
            return Strategies.resolve(ExperimentConfig.StrategySpec.of("plan", "full", p.config().plan(), null),
                    p.layout(), p.train(), p.dir(), s, "plan");
        }
        String base = p.sourceLabel().equals("none") ? "scratch" : "full";
        return Strategies.resolve(ExperimentConfig.StrategySpec.named(base), p.layout(), p.train(), p.dir(), s, base);
    }
}
