package dev.graft.transfer;

import dev.graft.checkpoint.SafetensorsWriter;
import dev.graft.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a transferred model as a safetensors checkpoint that PyTorch loads strictly, with its
 * provenance, plan and report in {@code __metadata__} (keys {@code graft.provenance},
 * {@code graft.plan}, {@code graft.report}, {@code graft.target}).
 */
public final class TransferOutput {
    /** Metadata key of the provenance JSON. */
    public static final String PROVENANCE = "graft.provenance";
    /** Metadata key of the applied plan JSON. */
    public static final String PLAN = "graft.plan";
    /** Metadata key of the transfer report JSON. */
    public static final String REPORT = "graft.report";
    /** Metadata key of the target spec's name. */
    public static final String TARGET = "graft.target";

    private TransferOutput() {}

    /**
     * Writes the result atomically.
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code out} then
     */
    public static void write(Path out, TransferResult result, TransferPlan plan, Provenance provenance,
            String targetName) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(PROVENANCE, provenance.toJson());
        meta.put(PLAN, PlanCodec.toCompactJson(plan));
        meta.put(REPORT, result.report().toTree().toString());
        meta.put(TARGET, targetName);
        SafetensorsWriter.write(out, result.tensors(), meta);
    }
}
