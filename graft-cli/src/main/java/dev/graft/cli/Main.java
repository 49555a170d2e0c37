package dev.graft.cli;

import dev.graft.GraftInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code graft} command line. Exit codes: 0 success, 2 bad usage or input, 1 failure. */
@Command(name = "graft", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fine-grained weight transfer: move a trained network's weights into a new target network.",
        subcommands = {InspectCommand.class, PlanCommand.class, TransferCommand.class, ConvertCommand.class, PredictCommand.class, ExportCommand.class,
            TrainCommand.class, CompareCommand.class, SearchCommand.class, ReportCommand.class, ScoreCommand.class,
            DemoCommand.class, SpecCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad usage or input. */
    public static final int BAD_INPUT = 2;
    /** Exit code for a failure while running. */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(cmd + ": " + ex.getMessage() + " (see '" + cmd + " --help')");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
            if (ex instanceof GraftInputException) {
                err.println("graft: " + ex.getMessage());
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return BAD_INPUT;
            }
            if (ex instanceof dev.graft.search.SearchStoppedException) {
                // SIGTERM or Ctrl-C mid-search: the journal holds what finished; nothing crashed
                err.println("graft: " + ex.getMessage());
                return FAILURE;
            }
            if (ex instanceof java.io.UncheckedIOException u && u.getCause() instanceof java.nio.file.FileSystemException f) {
                ex = f;
            }
            if (ex instanceof java.nio.file.FileSystemException fse) {
                // A path the user gave that cannot be read or written is bad input, not a crash.
                err.println("graft: " + FileProblems.describe(fse));
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return BAD_INPUT;
            }
            err.println("graft: failed: " + ex);
            if (verbose) {
                ex.printStackTrace(err);
            } else {
                err.println("graft: run again with --verbose for the stack trace");
            }
            return FAILURE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Inputs are size-checked before allocation; this is the last line for what slips past.
            err.println("graft: failed: out of memory (" + e.getMessage() + "); raise the heap with "
                    + "GRAFT_JAVA_OPTS=-Xmx..., or use smaller inputs");
            return FAILURE;
        }
    }
}
