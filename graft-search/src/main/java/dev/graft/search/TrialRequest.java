package dev.graft.search;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One trial to evaluate, as every executor receives it: in this JVM, on a worker JVM, on a Spark
 * executor. It carries the experiment's text (not a path to re-read: a file edited after the search
 * started must not change later trials, and a cluster node need not see the driver's file system for
 * it), the settings that vary per search, and the policy point. Travels as JSON ({@link TrialCodec}).
 *
 * @param id a key unique to this trial in this search (routes its epoch values back to the driver)
 * @param trial the trial's number in its study
 * @param experiment the experiment's text, where it came from, and its digest
 * @param shots labelled images per class the trial trains on (0: all)
 * @param seed the seed of the shot draw and of training
 * @param point one choice index per dimension of the policy space
 * @param waitForDecisions whether the executor waits for a continue/stop decision after each epoch
 *     (a pruner is set); without one, epochs may be reported in a batch with the result
 */
public record TrialRequest(String id, int trial, Experiment experiment, int shots, long seed, int[] point,
        boolean waitForDecisions) implements TrialMessage {

    public TrialRequest {
        point = point.clone();
    }

    @Override
    public int[] point() {
        return point.clone();
    }

    /**
     * An experiment as text. Relative data paths in it resolve against {@code path}'s folder, which
     * every node must see under the same name (data is read where the trial runs, not shipped).
     *
     * @param path the experiment file's absolute path on the driver
     * @param yaml the file's text when the search started
     * @param sha256 the hex SHA-256 of {@code yaml} (executors cache a prepared experiment by it)
     */
    public record Experiment(String path, String yaml, String sha256) {
        /**
         * The experiment at {@code file} as it reads now; an unreadable file gives an empty text,
         * which an executor that must prepare it reports as the trial's failure (the driver's own
         * in-process executor never reads it).
         */
        public static Experiment of(Path file) {
            String yaml;
            try {
                yaml = Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.io.IOException | RuntimeException e) {
                yaml = "";
            }
            return new Experiment(file.toAbsolutePath().toString(), yaml, sha256(yaml));
        }

        /** Whether the text still matches its digest (a corrupted or hand-edited request does not). */
        @JsonIgnore
        public boolean intact() {
            return sha256(yaml).equals(sha256);
        }

        static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }

    /** Makes the requests of one search: everything but the trial and its point is fixed. */
    public record Template(String search, Experiment experiment, int shots, long seed) {
        /** The request for trial {@code number} at {@code point}. */
        public TrialRequest at(int number, int[] point, boolean waitForDecisions) {
            return new TrialRequest(search + "-" + number, number, experiment, shots, seed, point, waitForDecisions);
        }
    }
}
