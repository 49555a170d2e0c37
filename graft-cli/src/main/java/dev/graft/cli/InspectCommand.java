package dev.graft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.OnnxFile;
import dev.graft.checkpoint.TensorInfo;
import dev.graft.checkpoint.WeightStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code graft inspect FILE}: the tensors, totals, metadata and hash of a checkpoint; for ONNX,
 * also how each anonymous initializer got its PyTorch name (or why it kept its own).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors in a checkpoint (safetensors, npz, TorchScript or ONNX).")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE", description = "The checkpoint.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String sha = Checkpoints.sha256(file);
        Checkpoints.Format format = Checkpoints.detect(file);
        try (WeightStore store = Checkpoints.open(file)) {
            long params = 0;
            long bytes = 0;
            for (String n : store.names()) {
                params += store.info(n).dims().count();
                bytes += store.info(n).byteSize();
            }
            var out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode root = m.createObjectNode();
                root.put("file", file.toString());
                root.put("format", format.name().toLowerCase(Locale.ROOT));
                root.put("sha256", sha);
                ArrayNode tensors = root.putArray("tensors");
                for (String n : store.names()) {
                    TensorInfo i = store.info(n);
                    ObjectNode t = tensors.addObject().put("name", n).put("dtype", i.dtype().name());
                    ArrayNode shape = t.putArray("shape");
                    for (long s : i.dims().sizes()) {
                        shape.add(s);
                    }
                    t.put("parameters", i.dims().count());
                }
                root.putObject("totals").put("tensors", store.names().size()).put("parameters", params)
                        .put("bytes", bytes);
                ObjectNode meta = root.putObject("metadata");
                store.metadata().forEach(meta::put);
                if (store instanceof OnnxFile onnx) {
                    ArrayNode notes = root.putArray("names");
                    for (OnnxFile.Note n : onnx.notes()) {
                        notes.addObject().put("name", n.name()).put("file_name", n.fileName()).put("how", n.how());
                    }
                }
                out.println(m.writeValueAsString(root));
                return 0;
            }
            out.println(file + " (" + format.name().toLowerCase(Locale.ROOT) + ")");
            out.println("sha256 " + sha);
            out.println();
            int nw = Math.max(4, store.names().stream().mapToInt(String::length).max().orElse(0));
            int sw = Math.max(5, store.names().stream().mapToInt(n -> store.info(n).dims().toString().length())
                    .max().orElse(0));
            out.println(String.format(Locale.ROOT, "%-" + nw + "s  %-5s  %-" + sw + "s  %12s", "name", "dtype",
                    "shape", "parameters"));
            out.println("-".repeat(nw + sw + 25));
            for (String n : store.names()) {
                TensorInfo i = store.info(n);
                out.println(String.format(Locale.ROOT, "%-" + nw + "s  %-5s  %-" + sw + "s  %12d", n,
                        i.dtype().name(), i.dims(), i.dims().count()));
            }
            out.println(String.format(Locale.ROOT, "%d tensors, %d parameters, %d bytes", store.names().size(),
                    params, bytes));
            if (store instanceof OnnxFile onnx && !onnx.notes().isEmpty()) {
                out.println();
                out.println("names (ONNX initializers renamed, or kept, and why):");
                for (OnnxFile.Note n : onnx.notes()) {
                    out.println("  " + n.name() + ": " + n.how());
                }
            }
            Map<String, String> meta = store.metadata();
            if (!meta.isEmpty()) {
                out.println();
                out.println("metadata:");
                meta.forEach((k, v) -> out.println("  " + k + ": " + MetadataView.summary(k, v)));
                String prov = meta.get(dev.graft.transfer.TransferOutput.PROVENANCE);
                if (prov != null) {
                    out.println();
                    out.println("provenance:");
                    MetadataView.fields(prov).forEach((k, v) -> out.println("  " + k + ": " + v));
                }
            }
            return 0;
        }
    }
}
