package dev.graft.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.checkpoint.Dims;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a transfer did to every target tensor, and which source tensors it left unused.
 *
 * @param rows one row per target tensor, in the model's order
 * @param unusedSource source tensors no target tensor came from
 */
public record TransferReport(List<Row> rows, List<String> unusedSource) {

    public TransferReport {
        rows = List.copyOf(rows);
        unusedSource = List.copyOf(unusedSource);
    }

    /**
     * One target tensor.
     *
     * @param target the target tensor's name
     * @param targetDims its shape
     * @param source the source tensor it came from, if any
     * @param sourceDims the source tensor's shape, if any
     * @param transform what was done (for example {@code copy}, {@code select_units 48/64 by L1})
     * @param transferred elements that hold source-derived values
     * @param total elements in the target tensor
     * @param mode frozen, finetune or reinit
     * @param lrMultiplier the learning-rate multiplier (0 when frozen)
     * @param frozenElements elements that will not train
     * @param origin {@code rule N}, {@code auto}, {@code missing} (kept its initializer) or
     *     {@code filled} (a {@code num_batches_tracked} the source lacks, started at 0)
     */
    public record Row(String target, Dims targetDims, Optional<String> source, Optional<Dims> sourceDims,
            String transform, long transferred, long total, String mode, double lrMultiplier,
            long frozenElements, String origin) {}

    /** Elements transferred over all target tensors. */
    public long transferredElements() {
        return rows.stream().mapToLong(Row::transferred).sum();
    }

    /** Elements in all target tensors. */
    public long totalElements() {
        return rows.stream().mapToLong(Row::total).sum();
    }

    /** Elements that will not train. */
    public long frozenElements() {
        return rows.stream().mapToLong(Row::frozenElements).sum();
    }

    /** The report as an aligned text table with totals. */
    public String toTable() {
        String[] head = {"target", "shape", "source", "transform", "transferred", "mode", "lr", "frozen", "by"};
        List<String[]> cells = new java.util.ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {
                r.target(), r.targetDims().toString(), r.source().orElse("-"), r.transform(),
                r.transferred() + "/" + r.total(), r.mode(),
                r.mode().equals("frozen") ? "-" : trim(r.lrMultiplier()),
                String.valueOf(r.frozenElements()), r.origin()});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] row = cells.get(k);
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 4 || i == 6 || i == 7;
                String cell = numeric && k > 0 ? pad(row[i], width[i], true) : pad(row[i], width[i], false);
                sb.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            sb.append('\n');
            if (k == 0) {
                int total = java.util.Arrays.stream(width).sum() + 2 * (width.length - 1);
                sb.append("-".repeat(total)).append('\n');
            }
        }
        long t = totalElements();
        sb.append(String.format(Locale.ROOT, "%d tensors; %d of %d elements transferred (%.1f%%); %d frozen%n",
                rows.size(), transferredElements(), t, t == 0 ? 0.0 : 100.0 * transferredElements() / t,
                frozenElements()));
        sb.append(unusedSource.isEmpty() ? "unused source tensors: none\n"
                : "unused source tensors (" + unusedSource.size() + "): " + String.join(", ", unusedSource) + "\n");
        return sb.toString().stripTrailing().replaceAll("(?m) +$", "") + "\n";
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The report as a JSON tree. */
    public ObjectNode toTree() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode arr = root.putArray("tensors");
        for (Row r : rows) {
            ObjectNode n = arr.addObject();
            n.put("target", r.target());
            n.set("shape", dims(m, r.targetDims()));
            if (r.source().isPresent()) {
                n.put("source", r.source().get());
                n.set("source_shape", dims(m, r.sourceDims().orElseThrow()));
            } else {
                n.putNull("source");
            }
            n.put("transform", r.transform());
            n.put("transferred", r.transferred());
            n.put("total", r.total());
            n.put("mode", r.mode());
            n.put("lr_multiplier", r.lrMultiplier());
            n.put("frozen_elements", r.frozenElements());
            n.put("origin", r.origin());
        }
        ArrayNode unused = root.putArray("unused_source");
        unusedSource.forEach(unused::add);
        ObjectNode totals = root.putObject("totals");
        totals.put("tensors", rows.size());
        totals.put("transferred", transferredElements());
        totals.put("total", totalElements());
        totals.put("frozen", frozenElements());
        return root;
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toTree());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode dims(ObjectMapper m, Dims d) {
        ArrayNode a = m.createArrayNode();
        for (long s : d.sizes()) {
            a.add(s);
        }
        return a;
    }
}
