package dev.graft.cli;

import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.search.PolicySpace;
import dev.graft.search.SearchRunner;
import dev.graft.search.SearchSettings;
import dev.graft.search.Trial;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft search EXP}: searches transfer policies; one line per finished trial. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search for the best transfer policy (per layer: scratch / frozen / fine-tune, LR multiplier, "
                + "fraction of units) with the experiment's sampler; writes search.jsonl and results.json.")
final class SearchCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "EXP", description = "The experiment (YAML) with a 'search' section.")
    Path experiment;

    @Option(names = "--resume", description = "Continue the search from its journal (search.jsonl).")
    boolean resume;

    @Option(names = "--quiet", description = "Print only the result.")
    boolean quiet;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Trials at once, each in its own worker JVM (default ${DEFAULT-VALUE}: in this JVM).")
    int workers;

    @Option(names = "--executor", paramLabel = "URL", defaultValue = "local",
            description = "Where trials run: local (default: this JVM, or --workers worker JVMs), spark://HOST:PORT "
                    + "(a Spark standalone master; --workers 1-core executors; needs module graft-spark) or "
                    + "local-cluster[N,1,MB].")
    String executor;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads per worker (default: cores / workers).")
    Integer threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        // a missing executor module is refused before the experiment is read
        if (workers < 1) {
            throw new dev.graft.GraftInputException("--workers must be at least 1");
        }
        if (threads != null && threads < 1) {
            throw new dev.graft.GraftInputException("--threads must be at least 1, got " + threads);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int perWorker = threads != null ? threads : Math.max(1, cores / workers);
        SearchRunner.ExecutorFactory executors = dev.graft.search.ExecutorProvider.factory(executor, workers,
                perWorker);
        ExperimentConfig c = ExperimentLoader.read(experiment);
        SearchSettings s = SearchSettings.of(c, experiment + ": search");
        Prepared p = ExperimentRunner.prepare(c, experiment, quiet ? ExperimentRunner.Progress.NONE
                : new ConsoleProgress(out, false));
        ExperimentRunner.requireValidation(p, "graft search");
        // before the search's header: a refused search prints nothing but its one line
        SearchRunner.requireSource(p, p.file() + ": search");
        if (!quiet) {
            p.data().report().lines().forEach(out::println);
            out.println("searching " + s.trials() + " trials with " + s.sampler() + " (" + s.metric().keyword()
                    + " on the validation split, " + (s.shots() == 0 ? "all" : s.shots()) + " shots per class)");
            if (c.head() != null || c.contrastive() != null) {
                // the value every trial line shows is this head's, not the network's own
                out.println("each trial ends in a classical head: " + dev.graft.experiment.FeatureHead.of(c.head(),
                        c.contrastive(), c.contrastive() != null, p.layout(), experiment + ": ").afterFineTuning()
                        .describe());
            }
            out.println(dev.graft.search.TransferPolicy.legend(p.layout().groups().stream()
                    .map(dev.graft.model.LayerGroup::name).toList()));
        }
        if (!quiet && !"local".equals(executor)) {
            out.println("trials on " + executor + ": " + workers + " executors of one core");
        } else if (!quiet && workers > 1) {
            out.println(workers + " worker JVMs with " + perWorker + " PyTorch threads each");
        }
        LiveBar bar = !quiet && LiveBar.terminal() ? new LiveBar(out, "trials", s.trials(), "trials") : null;
        SearchRunner.Outcome o;
        try {
            o = SearchRunner.run(p, s, resume, executors, new SearchRunner.Listener() {
                @Override
                public void trialFinished(Trial t, String summary, double best, int finished, int total, double eta) {
                    if (quiet) {
                        return;
                    }
                    String line = String.format(Locale.ROOT, "[%d/%d] trial %d  %-40s  %s  best %.4f%s", finished,
                            total, t.number(), summary, Double.isNaN(t.value()) ? t.state().name().toLowerCase(Locale.ROOT)
                                    : String.format(Locale.ROOT, "%.4f%s%s", t.value(),
                                            Double.isFinite(t.stderr()) ? String.format(Locale.ROOT, " ± %.4f",
                                                    t.stderr()) : "",
                                            t.message().isEmpty() ? "" : " (" + t.message() + ")"),
                            best, bar == null ? "  ETA " + ConsoleProgress.clock(eta) : "");
                    if (bar != null) {
                        bar.println(line);
                        bar.stepTo(finished);
                    } else {
                        out.println(line);
                        out.flush();
                    }
                }

                @Override
                public void status(String line) {
                    if (bar != null) {
                        bar.println(line);
                    } else if (!quiet) {
                        out.println(line);
                    }
                }
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        out.println(String.format(Locale.ROOT, "best: trial %d  %s  %s %.4f", o.best().number(),
                o.bestSummary(), s.objectives().multiple() ? "value (-energy)" : "validation", o.best().value()));
        if (!o.front().isEmpty()) {
            out.println("Pareto front: " + o.front().size() + " policies that no other evaluated policy beats on "
                    + "every objective (" + String.join(", ", s.objectives().names()) + "):");
            PolicySpace policies = new PolicySpace(p.layout(), s.choices());
            for (Trial t : o.front()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  trial %-3d %-44s", t.number(),
                        policies.decode(t.point()).summary()));
                for (int i = 0; i < t.objectives().length; i++) {
                    double v = t.objectives()[i];
                    line.append(String.format(Locale.ROOT, "  %s %s", s.objectives().names().get(i),
                            v == Math.rint(v) && Math.abs(v) > 100 ? String.format(Locale.ROOT, "%,d", (long) v)
                                    : String.format(Locale.ROOT, "%.4f", v)));
                }
                out.println(line);
            }
        }
        if (o.choice() != null) {
            // the estimate ± its standard error, so a reader sees how sure the choice is
            out.println("chosen (" + s.selection().rule().name().toLowerCase(Locale.ROOT) + " rule, estimated by "
                    + s.fitness().describe() + "): " + o.choice().summary());
            out.println("refitted on every labelled image (shots and validation, no early stopping) before the "
                    + "single test measurement");
        }
        if (o.bestRun().test() != null) {
            out.println("test (measured once): " + o.bestRun().test().headline());
        }
        out.println("journal: " + o.journal() + "; results: " + o.results());
        out.println("report: " + dev.graft.report.HtmlReport.write(o.results().getParent()));
        out.flush();
        return 0;
    }
}
