package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.NpzWriter;
import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.checkpoint.WeightStore;
import dev.graft.provenance.Provenance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graft convert}: rewrites a checkpoint (for example a TorchScript module) as safetensors or npz. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a checkpoint (safetensors, npz, TorchScript or ONNX) to safetensors or npz, by the output's extension.")
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE", description = "The checkpoint to read.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "OUT.safetensors or OUT.npz.")
    Path out;

    @Option(names = "--compress", description = "Deflate npz entries.")
    boolean compress;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean npz = name.endsWith(".npz");
        if (!npz && !name.endsWith(".safetensors")) {
            throw new GraftInputException(out + ": the output must end in .safetensors or .npz");
        }
        String sha = Checkpoints.sha256(in);
        // One tensor at a time: an archive that inflates to more than memory still converts.
        try (WeightStore store = Checkpoints.open(in)) {
            if (npz) {
                NpzWriter.write(out, store, compress);
            } else {
                Map<String, String> meta = new LinkedHashMap<>(store.metadata());
                meta.put("format", "pt");
                meta.put(dev.graft.transfer.TransferOutput.PROVENANCE,
                        Provenance.now(in.getFileName().toString(), sha).toJson());
                SafetensorsWriter.write(out, store, meta);
            }
            spec.commandLine().getOut().println("wrote " + store.names().size() + " tensors to " + out);
        }
        return 0;
    }
}
