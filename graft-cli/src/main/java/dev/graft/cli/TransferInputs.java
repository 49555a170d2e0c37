package dev.graft.cli;

import dev.graft.transfer.PlanCodec;
import dev.graft.transfer.TransferPlan;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The inputs of {@code plan} and {@code transfer}. */
final class TransferInputs {
    @Option(names = "--source", required = true, paramLabel = "CKPT",
            description = "The source checkpoint (safetensors, npz or TorchScript).")
    Path source;

    @Option(names = "--target", required = true, paramLabel = "SPEC", description = "The target model spec (YAML).")
    Path target;

    @Option(names = "--rules", paramLabel = "PLAN",
            description = "Transfer plan (YAML or JSON). Without it, tensors are matched by name and shape.")
    Path rules;

    @Option(names = "--allow-missing",
            description = "Keep the initializer of target tensors that have no usable source instead of failing.")
    boolean allowMissing;

    TransferPlan plan() {
        return rules == null ? TransferPlan.automatic() : PlanCodec.read(rules);
    }
}
