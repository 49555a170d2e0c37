package dev.graft.cli;

import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.Transferor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graft plan}: a dry run that prints the transfer report and writes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Dry run: print what a transfer would do to every target tensor, without writing anything.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Mixin
    TransferInputs inputs;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TransferPlan plan = inputs.plan();
        ModelLayout layout = ModelLayout.of(inputs.targetSpec());
        inputs.requireRulesMatch(plan, layout);
        try (WeightStore source = Checkpoints.open(inputs.source)) {
            TransferResult result = Transferor.apply(source, layout, plan, inputs.allowMissing);
            spec.commandLine().getOut().print(json ? result.report().toJson() + "\n" : result.report().toTable());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
