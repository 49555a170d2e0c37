package dev.graft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code graft demo}: {@code graft compare} on the data shipped with Graft: the shipped source
 * checkpoint, all built-in strategies and a genetic and an annealing policy search, 5 and 10 shots
 * per class, five seeds. Equivalent to
 * {@code graft compare examples/experiments/fashion-few-shot.yaml}. {@code graft demo text} is
 * {@code graft compare examples/experiments/spam-minilm.yaml}: all-MiniLM-L6-v2 on real e-mail.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare every built-in transfer strategy, two policy searches (genetic, annealing) and two "
                + "source-protecting fine-tunes (LwF, EWC) on the shipped few-shot Fashion-MNIST task (5 and 10 shots "
                + "per class, 5 seeds); print the table with each strategy's forgetting of the source task. "
                + "'graft demo text' does the same for a pretrained sentence encoder on real e-mail.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--quiet", description = "Print only the table.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "DEMO", defaultValue = "fashion",
            description = "fashion (default): the few-shot Fashion-MNIST task from the shipped CNN; text: "
                    + "all-MiniLM-L6-v2 (fetched by ./graft at first use) on a few-shot spam task of real e-mail.")
    String which;

    /** A shipped demo: its experiment, what it prints before the table, and a file it needs. */
    private record Demo(String experiment, List<String> intro, String needs, String howToGet) {}

    private static final Map<String, Demo> DEMOS = Map.of(
            "fashion", new Demo("experiments/fashion-few-shot.yaml", List.of(
                    "source: the small CNN pre-trained on {T-shirt/top, Trouser, Dress, Sandal, Bag};",
                    "target: {Pullover, Coat, Shirt, Sneaker, Ankle boot} with 5 and 10 labelled images per class;",
                    "strategies: the six built-ins, genetic and annealing searches of 8 policies each, and fine-tuning",
                    "that protects the source task (LwF, EWC); forgetting = source accuracy lost, via the source head."),
                    null, null),
            "text", new Demo("experiments/spam-minilm.yaml", List.of(
                    "source: all-MiniLM-L6-v2 (Apache-2.0), the sentence encoder read from its ONNX file;",
                    "target: ham vs spam on real SpamAssassin e-mail (data/spam) with 8 and 16 labelled texts per class;",
                    "strategies: scratch, head-only (converged), partial, full, layer-wise LR decay and a policy search."),
                    "graft-out/models/all-minilm-l6-v2/model.onnx",
                    "run ./graft demo text, which fetches it from Maven Central at first use"));

    @Override
    public Integer call() throws Exception {
        Demo demo = DEMOS.get(which);
        if (demo == null) {
            throw new dev.graft.GraftInputException("unknown demo '" + which + "' (known: fashion, text)");
        }
        if (demo.needs() != null) {
            Path needed = examplesDir().getParent().resolve(demo.needs());
            if (!Files.isRegularFile(needed)) {
                throw new dev.graft.GraftInputException(needed + ": not found; " + demo.howToGet());
            }
        }
        Path exp = examplesDir().resolve(demo.experiment());
        var out = spec.commandLine().getOut();
        out.println("graft demo: graft compare " + exp);
        demo.intro().forEach(out::println);
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
