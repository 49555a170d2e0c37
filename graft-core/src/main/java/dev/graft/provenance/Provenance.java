package dev.graft.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;

/**
 * Where a result came from: the input checkpoint's hash and the software and platform that made
 * it. Stored as JSON in every checkpoint Graft writes.
 *
 * @param sourceFile the source checkpoint's file name
 * @param sourceSha256 the source checkpoint's SHA-256
 * @param graftVersion Graft's version
 * @param djlVersion DJL's version
 * @param pytorchVersion the libtorch version Graft runs on
 * @param java the Java runtime version
 * @param os the operating system name and version
 * @param arch the CPU architecture
 * @param time when the result was made (ISO-8601, UTC)
 */
public record Provenance(String sourceFile, String sourceSha256, String graftVersion, String djlVersion,
        String pytorchVersion, String java, String os, String arch, String time) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Properties VERSIONS = loadVersions();

    /** Provenance for a result made now from the given source. */
    public static Provenance now(String sourceFile, String sourceSha256) {
        return new Provenance(sourceFile, sourceSha256, version("graft.version"), version("djl.version"),
                version("pytorch.version"), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Instant.now().toString());
    }

    /** A version Graft was built with: {@code graft.version}, {@code djl.version} or {@code pytorch.version}. */
    public static String version(String key) {
        return VERSIONS.getProperty(key, "unknown");
    }

    /** As a JSON object. */
    public ObjectNode toTree() {
        return JSON.valueToTree(this);
    }

    /** As compact JSON. */
    public String toJson() {
        return toTree().toString();
    }

    /**
     * Reads provenance JSON.
     *
     * @throws IOException if the text is not provenance JSON
     */
    public static Provenance fromJson(String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        return JSON.treeToValue(n, Provenance.class);
    }

    private static Properties loadVersions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/graft/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions then read "unknown"; provenance must never stop a run
        }
        return p;
    }
}
