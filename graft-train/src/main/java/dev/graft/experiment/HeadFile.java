package dev.graft.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.train.ClassicalHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a checkpoint's classical head lives: the checkpoint's metadata key {@value #KEY} holds
 * {@code {"file": "head.tribuo", "type": "knn", "layer": "classifier", "sha256": "…"}}, and the
 * file (Tribuo's protobuf model) sits beside the checkpoint. Prediction then runs the network up
 * to {@code layer} and the head on its input, not the network's own head.
 *
 * @param file the head file's name, in the checkpoint's folder
 * @param type the head's {@code head.type}
 * @param layer the layer whose input the head reads
 * @param sha256 the head file's SHA-256, checked before it is read
 */
public record HeadFile(String file, String type, String layer, String sha256) {
    /** The checkpoint metadata key. */
    public static final String KEY = "graft.head";

    /** The head file's name beside a checkpoint. */
    public static final String NAME = "head.tribuo";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Saves {@code head} beside {@code checkpoint} and returns its record for the metadata.
     *
     * @throws IOException if the file cannot be written
     */
    public static HeadFile save(Path checkpoint, ClassicalHead head, FeatureHead spec) throws IOException {
        Path file = checkpoint.toAbsolutePath().resolveSibling(NAME);
        head.save(file);
        return new HeadFile(NAME, spec.kind().keyword(), spec.layer(), Checkpoints.sha256(file));
    }

    /** This record as the metadata value. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("file", file).put("type", type).put("layer", layer).put("sha256", sha256);
        return n.toString();
    }

    /** The head a checkpoint's metadata names, or null when it has none. */
    public static HeadFile of(Map<String, String> metadata, String where) {
        String v = metadata.get(KEY);
        if (v == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(v);
            HeadFile h = new HeadFile(n.path("file").asText(null), n.path("type").asText(null),
                    n.path("layer").asText(null), n.path("sha256").asText(null));
            if (h.file == null || h.layer == null || h.sha256 == null || h.file.contains("/") || h.file.contains("\\")) {
                throw new GraftInputException(where + ": metadata " + KEY + " is incomplete: " + v);
            }
            return h;
        } catch (IOException e) {
            throw new GraftInputException(where + ": metadata " + KEY + " is not JSON: " + v);
        }
    }

    /**
     * Reads the head beside {@code checkpoint}, after checking its SHA-256.
     *
     * @throws GraftInputException naming the file, when it is missing, altered or unreadable
     */
    public ClassicalHead load(Path checkpoint, int classes) {
        Path p = checkpoint.toAbsolutePath().resolveSibling(file);
        if (java.nio.file.Files.isDirectory(p)) {
            throw new GraftInputException(p + ": is a folder, not the classical head " + checkpoint.getFileName()
                    + " was trained with; put the " + file + " it was saved with in its place");
        }
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new GraftInputException(p + ": the classical head " + checkpoint.getFileName() + " was trained with "
                    + "is missing; keep " + file + " beside the checkpoint");
        }
        try {
            if (!Checkpoints.sha256(p).equals(sha256)) {
                throw new GraftInputException(p + ": is not the head " + checkpoint.getFileName() + " was trained with "
                        + "(its SHA-256 differs)");
            }
            return ClassicalHead.load(p, classes);
        } catch (IOException e) {
            throw new GraftInputException(p + ": cannot read the classical head: " + e.getMessage());
        }
    }
}
