package dev.graft.cli;

import dev.graft.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code graft report RUN_DIR}: regenerates report.html from a run's results and journal. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html (self-contained: charts inline, nothing loaded from the network) "
                + "from the results.json of graft compare or demo, and the search/ folder of graft search.")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "RUN_DIR", description = "The run's output folder (for example graft-out/demo).")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = HtmlReport.write(dir);
        spec.commandLine().getOut().println("report: " + file);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
