package dev.graft.cli;

import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.SpecWriter;
import dev.graft.model.family.Families;
import dev.graft.model.family.Family;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft spec NAME[:K]}: a model family written out as a plain YAML spec, to edit. */
@Command(name = "spec", mixinStandardHelpOptions = true,
        description = "Print a model family (resnet18, mobilenet_v2, ...) as a YAML model spec, to save and edit.")
final class SpecCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(arity = "0..1", paramLabel = "NAME[:CLASSES]",
            description = "The family and its class count (default 1000), such as resnet18:5.")
    String target;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels (default: the family's, 3).")
    Integer channels;

    @Option(names = "--list", description = "List the families with their default input, stem and head.")
    boolean list;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list && target != null) {
            throw new dev.graft.GraftInputException("give a family to print or --list, not both");
        }
        if (list || target == null) {
            out.printf("%-20s %-16s %-18s %s%n", "family", "default input", "stem", "head");
            for (Family f : Families.all()) {
                out.printf("%-20s %-16s %-18s %s%n", f.name(), f.defaultInput(), f.stem(), f.head());
            }
            out.flush();
            return 0;
        }
        ModelSpec s = Families.spec(target);
        if (channels != null) {
            if (channels <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--channels must be positive");
            }
            int classes = (int) ModelLayout.of(s).output().get(0);
            s = Families.require(s.name()).spec(classes, channels);
        }
        out.print(SpecWriter.write(s));
        out.flush();
        return 0;
    }
}
