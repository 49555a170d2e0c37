package dev.graft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code graft demo}: {@code graft compare} on the data shipped with Graft: the shipped source
 * checkpoint, all built-in strategies and a genetic and an annealing policy search, 5 and 10 shots
 * per class, five seeds. Equivalent to
 * {@code graft compare examples/experiments/fashion-few-shot.yaml}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare every built-in transfer strategy, two policy searches (genetic, annealing) and two "
                + "source-protecting fine-tunes (LwF, EWC) on the shipped few-shot Fashion-MNIST task (5 and 10 shots "
                + "per class, 5 seeds); print the table with each strategy's forgetting of the source task.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--quiet", description = "Print only the table.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path exp = examplesDir().resolve("experiments/fashion-few-shot.yaml");
        var out = spec.commandLine().getOut();
        out.println("graft demo: graft compare " + exp);
        out.println("source: the small CNN pre-trained on {T-shirt/top, Trouser, Dress, Sandal, Bag};");
        out.println("target: {Pullover, Coat, Shirt, Sneaker, Ankle boot} with 5 and 10 labelled images per class;");
        out.println("strategies: the six built-ins, genetic and annealing searches of 8 policies each, and fine-tuning");
        out.println("that protects the source task (LwF, EWC); forgetting = source accuracy lost, via the source head.");
        out.println();
        return CompareCommand.run(exp, quiet, out);
    }

    /** The shipped examples: under -Dgraft.home (set by ./graft), else the working directory. */
    static Path examplesDir() {
        String home = System.getProperty("graft.home");
        Path dir = Path.of(home == null ? "." : home, "examples");
        if (!Files.isDirectory(dir)) {
            throw new dev.graft.GraftInputException(dir + ": examples folder not found; run from the repository root");
        }
        return dir;
    }
}
