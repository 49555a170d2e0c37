package dev.graft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code graft demo}: the end-to-end transfer on the example files shipped in the repository.
 * Equivalent to {@code graft transfer --source examples/checkpoints/small-cnn-source.safetensors
 * --target examples/specs/small-cnn-target.yaml --rules examples/plans/fine-grained.yaml
 * --out graft-out/demo/small-cnn-target.safetensors}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a fine-grained transfer on the examples shipped with Graft and print its report.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "graft-out/demo",
            description = "Where to write the transferred checkpoint (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path examples = examplesDir();
        TransferInputs in = new TransferInputs();
        in.source = examples.resolve("checkpoints/small-cnn-source.safetensors");
        in.target = examples.resolve("specs/small-cnn-target.yaml");
        in.rules = examples.resolve("plans/fine-grained.yaml");
        Path out = outDir.resolve("small-cnn-target.safetensors");
        var print = spec.commandLine().getOut();
        print.println("graft demo: transfer " + in.source + " into " + in.target + " under " + in.rules);
        print.println();
        TransferCommand.run(in, out, print);
        print.println("inspect it with: ./graft inspect " + out);
        return 0;
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
