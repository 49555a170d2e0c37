package dev.graft.cli;

import dev.graft.experiment.Comparison;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import dev.graft.provenance.Provenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft compare EXP}: strategies side by side on the same data, seeds and shot counts. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run the experiment's strategies on the same data, seeds and shot counts; print the table "
                + "and write results.json.")
final class CompareCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "EXP", description = "The experiment (YAML).")
    Path experiment;

    @Option(names = "--quiet", description = "Print only the table.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run(experiment, quiet, spec.commandLine().getOut());
    }

    static int run(Path experiment, boolean quiet, PrintWriter out) throws Exception {
        ExperimentConfig c = ExperimentLoader.read(experiment);
        ExperimentRunner.Progress progress = quiet ? ExperimentRunner.Progress.NONE : new ConsoleProgress(out, false);
        long start = System.nanoTime();
        Prepared p = ExperimentRunner.prepare(c, experiment, progress);
        if (!quiet) {
            // what Graft made of the data (classes found, statistics used) before the numbers it led to
            p.data().report().lines().forEach(out::println);
            out.flush();
        }
        List<RunRecord> runs = ExperimentRunner.compare(p, ExperimentRunner.comparedStrategies(p,
                (spec, where) -> dev.graft.search.SearchStrategy.resolve(p, spec, where)), progress);
        if (progress instanceof ConsoleProgress console) {
            console.close();
        }
        Comparison cmp = new Comparison(runs);
        Path results = p.output().resolve("results.json");
        Provenance provenance = Provenance.now(p.sourceLabel(), p.sourceSha256());
        cmp.write(results, p, provenance);
        if (!quiet) {
            out.println();
        }
        out.println("test set: " + (p.data().test() == null ? 0 : p.data().test().size()) + " samples, "
                + (p.data().pool().regression() ? "regression of " + p.data().classNames().get(0)
                        : p.data().classNames().size() + " classes") + "; source: " + p.sourceLabel());
        out.print(cmp.table());
        out.println(MachineLine.of(provenance));
        out.println(String.format(java.util.Locale.ROOT, "%d runs in %s; results: %s", runs.size(),
                ConsoleProgress.clock((System.nanoTime() - start) / 1e9), results));
        out.println("report: " + dev.graft.report.HtmlReport.write(p.output()));
        out.flush();
        return 0;
    }
}
