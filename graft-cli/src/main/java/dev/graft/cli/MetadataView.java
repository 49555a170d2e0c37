package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.transfer.TransferOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Short, readable forms of the JSON that Graft stores in checkpoint metadata. */
final class MetadataView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataView() {}

    /** One line for a metadata entry: Graft's JSON entries are summarized, others shown as they are. */
    static String summary(String key, String value) {
        try {
            if (key.equals(TransferOutput.PROVENANCE)) {
                return "(below)";
            }
            if (key.equals(TransferOutput.PLAN)) {
                JsonNode n = JSON.readTree(value);
                return n.path("rules").size() + " rule(s), seed " + n.path("seed").asLong()
                        + ", auto_match " + n.path("auto_match").asBoolean() + " (--json shows it whole)";
            }
            if (key.equals(TransferOutput.REPORT)) {
                JsonNode t = JSON.readTree(value).path("totals");
                return t.path("transferred").asLong() + " of " + t.path("total").asLong() + " elements transferred, "
                        + t.path("frozen").asLong() + " frozen, over " + t.path("tensors").asLong()
                        + " tensors (--json shows it whole)";
            }
        } catch (IOException e) {
            return value;
        }
        return value.length() > 200 ? value.substring(0, 200) + "…" : value;
    }

    /** The fields of a JSON object as strings, in order; empty if the text is not an object. */
    static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode n = JSON.readTree(json);
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            // not JSON: nothing to show field by field
        }
        return out;
    }
}
