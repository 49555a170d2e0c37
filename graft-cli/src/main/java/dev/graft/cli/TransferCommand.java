package dev.graft.cli;

import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecParser;
import dev.graft.provenance.Provenance;
import dev.graft.transfer.TransferOutput;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graft transfer}: applies a plan and writes the target checkpoint with provenance. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Apply a transfer plan and write the target checkpoint (safetensors, with provenance).")
final class TransferCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Mixin
    TransferInputs inputs;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "The checkpoint to write.")
    Path out;

    @Option(names = "--quiet", description = "Do not print the report.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        run(inputs, out, quiet ? null : spec.commandLine().getOut());
        return 0;
    }

    /** Runs a transfer and writes {@code out}; prints the report to {@code print} unless it is null. */
    static TransferResult run(TransferInputs inputs, Path out, PrintWriter print) throws Exception {
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            throw new dev.graft.GraftInputException(out + ": the output must end in .safetensors (transfer writes "
                    + "safetensors; graft convert turns it into npz)");
        }
        TransferPlan plan = inputs.plan();
        ModelSpec spec = inputs.targetSpec();
        ModelLayout layout = ModelLayout.of(spec);
        inputs.requireRulesMatch(plan, layout);
        String sha = Checkpoints.sha256(inputs.source);
        TransferResult result;
        try (WeightStore source = Checkpoints.open(inputs.source)) {
            result = Transferor.apply(source, layout, plan, inputs.allowMissing);
            Provenance prov = Provenance.now(inputs.source.getFileName().toString(), sha);
            TransferOutput.write(out, result, plan, prov, spec.name());
        }
        if (print != null) {
            print.print(result.report().toTable());
            print.println("wrote " + out);
            print.flush();
        }
        return result;
    }
}
