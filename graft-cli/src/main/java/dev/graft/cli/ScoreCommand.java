package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.strategy.SourceScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft score EXP}: LEEP and LogME of candidate sources on the experiment's target data. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Rank candidate source checkpoints for the experiment's target data by LEEP and LogME, "
                + "before any fine-tuning (a freshly initialized model is scored too, as the no-transfer baseline).")
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "EXP", description = "The experiment (YAML): its model spec and target data.")
    Path experiment;

    @Option(names = "--source", paramLabel = "CKPT",
            description = "A candidate source checkpoint (repeatable; default: the experiment's source).")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--shots", paramLabel = "K",
            description = "Score on K labelled images per class of the pool, as a few-shot user has them "
                    + "(default: the whole pool).")
    Integer shots;

    @Option(names = "--seed", description = "Which K images (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--head", paramLabel = "LAYER", description = "The head layer (default: the spec's head).")
    String head;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        ExperimentConfig c = ExperimentLoader.read(experiment);
        Prepared p = ExperimentRunner.prepare(c, experiment, ExperimentRunner.Progress.NONE);
        if (p.data().pool().regression()) {
            // LEEP and LogME as implemented here score features against class labels
            throw new GraftInputException(experiment + ": task: regression: graft score ranks sources by LEEP and "
                    + "LogME against class labels; a regression has none");
        }
        if (shots != null && shots < 1) {
            throw new GraftInputException("--shots: must be at least 1 (leave it out to use the whole pool), got " + shots);
        }
        Examples data = shots == null ? p.data().pool()
                : p.data().kShot(p.data().pool(), shots, seed, "--shots", "").first();
        List<SourceScore> scores = new ArrayList<>();
        if (sources.isEmpty() && !p.source().names().isEmpty()) {
            scores.add(SourceScore.of(p.sourceLabel(), p.source(), p.layout().spec(), head, data, seed));
        }
        // One unusable candidate (not a checkpoint, tensors that fit no layer) must not cost the
        // ranking of the others: it is reported on its own line and the exit code says so.
        List<String> failures = new ArrayList<>();
        for (Path s : sources) {
            try (WeightStore w = Checkpoints.open(s)) {
                scores.add(SourceScore.of(s.getFileName().toString(), w, p.layout().spec(), head, data, seed));
            } catch (GraftInputException e) {
                String m = e.getMessage();
                failures.add(m.startsWith(s.toString()) ? m : s + ": " + m);
            }
        }
        scores.add(SourceScore.of("none (freshly initialized)", new MemoryWeightStore(null, Map.of(), Map.of()),
                p.layout().spec(), head, data, seed));
        // Double's order puts NaN above everything: an undefined score must rank last, not first
        scores.sort(Comparator.comparing((SourceScore x) -> Double.isNaN(x.logMe()))
                .thenComparing(Comparator.comparingDouble(SourceScore::logMe).reversed()));
        out.println(String.format(Locale.ROOT, "%d candidate sources on %d target images (%d classes); higher is better",
                scores.size(), data.size(), data.classes()));
        int width = Math.max(6, scores.stream().mapToInt(s -> s.source().length()).max().orElse(6));
        out.println(String.format(Locale.ROOT, "%-4s  %-" + width + "s  %9s  %9s  %8s", "rank", "source", "LogME",
                "LEEP", "features"));
        int rank = 0;
        for (SourceScore s : scores) {
            out.println(String.format(Locale.ROOT, "%-4d  %-" + width + "s  %9.4f  %9.4f  %8d", ++rank, s.source(),
                    s.logMe(), s.leep(), s.features()));
        }
        if (scores.stream().anyMatch(x -> Double.isNaN(x.logMe()))) {
            out.println("NaN: LogME is undefined for these features (a degenerate fit, e.g. constant features); "
                    + "ranked last");
        }
        out.flush();
        var err = spec.commandLine().getErr();
        for (String f : failures) {
            err.println("graft: not scored: " + f);
        }
        err.flush();
        return failures.isEmpty() ? 0 : Main.BAD_INPUT;
    }
}
