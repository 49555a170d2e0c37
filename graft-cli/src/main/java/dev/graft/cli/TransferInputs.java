package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecParser;
import dev.graft.model.family.Families;
import dev.graft.transfer.PlanCodec;
import java.nio.file.Files;
import dev.graft.transfer.TransferPlan;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The inputs of {@code plan} and {@code transfer}. */
final class TransferInputs {
    @Option(names = "--source", required = true, paramLabel = "CKPT",
            description = "The source checkpoint (safetensors, npz, TorchScript or ONNX).")
    Path source;

    @Option(names = "--target", required = true, paramLabel = "SPEC",
            description = "The target model: a spec file (YAML), or a model family as NAME:CLASSES (resnet18:5; "
                    + "see graft spec --list).")
    String target;

    @Option(names = "--rules", paramLabel = "PLAN",
            description = "Transfer plan (YAML or JSON). Without it, tensors are matched by name and shape.")
    Path rules;

    @Option(names = "--allow-missing",
            description = "Keep the initializer of target tensors that have no usable source instead of failing.")
    boolean allowMissing;

    /** The target spec: a family when {@code --target} names one and no such file exists, else the spec file. */
    ModelSpec targetSpec() {
        return specOrFamily(target);
    }

    /** Whether {@code value} names a family ({@code NAME:K}) rather than a spec file. */
    static boolean isFamily(String value) {
        return Families.isFamilyTarget(value) && !Files.exists(Path.of(value));
    }

    /** A spec file, or a family {@code NAME:K} when no such file exists. */
    static ModelSpec specOrFamily(String value) {
        if (Families.isFamilyTarget(value) && Files.exists(Path.of(value))) {
            // either reading could be meant; say so rather than pick one silently
            throw new GraftInputException(value + ": both a file here and a model family; write ./" + value
                    + " for the file");
        }
        if (value.matches(dev.graft.model.family.BertFamily.NAME + "(:\\d+)?") && !Files.exists(Path.of(value))) {
            throw new GraftInputException(value + ": bert is built from a config; write its spec with graft spec "
                    + value + " --config CONFIG.json|MODEL.onnx > bert.yaml and give that file");
        }
        if (!isFamily(value) && value.matches("[A-Za-z][\\w.-]*:\\d+") && !Files.exists(Path.of(value))) {
            // NAME:K that is neither a family nor a file: say what families exist, not "no such file"
            throw new GraftInputException(value + ": no such spec file, and '" + value.substring(0, value.indexOf(':'))
                    + "' is not a model family (known: " + String.join(", ", Families.names()) + ")");
        }
        return isFamily(value) ? Families.spec(value) : SpecParser.read(Path.of(value));
    }

    /** A --rules plan's every rule matches a tensor of {@code target} (a heads rule: a module with heads). */
    void requireRulesMatch(TransferPlan plan, dev.graft.model.ModelLayout target) {
        if (rules != null) {
            plan.requireEveryRuleMatches(target, rules.toString());
        }
    }

    TransferPlan plan() {
        return rules == null ? TransferPlan.automatic() : PlanCodec.read(rules);
    }
}
