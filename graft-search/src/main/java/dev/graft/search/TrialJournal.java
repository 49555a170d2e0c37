package dev.graft.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only trial journal: one JSON object per line (ask, then tell with the trial's
 * intermediate values; each with its wall-clock time), each written, flushed and fsynced before
 * the study goes on, so a search killed at any moment loses at most the trials that were running.
 * A torn last line (the kill came mid-write) is ignored on replay.
 *
 * <p>Not thread-safe on its own; the study calls it under its lock.
 */
public final class TrialJournal implements StudyListener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel channel;

    private TrialJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens a journal for appending; a new file starts with a line describing the space.
     *
     * @throws GraftInputException if an existing journal was written for another space
     */
    public static TrialJournal open(Path file, SearchSpace space) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            if (!fresh) {
                Replay r = read(file);
                if (!r.spaceSignature().equals(signature(space))) {
                    throw new GraftInputException(file + ": the journal was written for a different search space");
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            TrialJournal j = new TrialJournal(file, ch);
            if (fresh) {
                ObjectNode n = JSON.createObjectNode().put("event", "study").put("space", signature(space));
                j.append(n);
            }
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short description of the space that a resumed search must match. */
    static String signature(SearchSpace space) {
        StringBuilder sb = new StringBuilder();
        for (Dimension d : space.dimensions()) {
            sb.append(d.name()).append('=').append(d.choices()).append(';');
        }
        return sb.toString();
    }

    @Override
    public void asked(Trial t) {
        ObjectNode n = JSON.createObjectNode().put("event", "ask").put("trial", t.number());
        ArrayNode p = n.putArray("point");
        for (int i : t.point()) {
            p.add(i);
        }
        append(n);
    }

    /**
     * Writes nothing: a trial's intermediate values go into its tell record. A running trial is
     * re-run on resume anyway, and an fsync per epoch took about a tenth of the MLP benchmark's
     * time (BENCHMARKS.md, "Policy search").
     */
    @Override
    public void reported(Trial t, double value) {
    }

    @Override
    public void told(Trial t) {
        ObjectNode n = JSON.createObjectNode().put("event", "tell").put("trial", t.number())
                .put("state", t.state().name()).put("message", t.message());
        if (!Double.isNaN(t.value())) {
            n.put("value", t.value());
        }
        ArrayNode intermediate = n.putArray("intermediate");
        t.intermediate().forEach(intermediate::add);
        if (t.objectives().length > 0) {
            var arr = n.putArray("objectives");
            for (double v : t.objectives()) {
                arr.add(v);
            }
        }
        append(n);
    }

    private void append(ObjectNode n) {
        // wall-clock milliseconds: a trial's duration is its tell's minus its ask's
        n.put("at_ms", System.currentTimeMillis());
        byte[] line = (n.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot append to the journal", e);
        }
    }

    /**
     * What a journal holds.
     *
     * @param spaceSignature the space it was written for
     * @param finished trials that finished, in order of their numbers
     * @param interrupted points of trials that were running when the journal ends
     */
    public record Replay(String spaceSignature, List<Trial> finished, List<int[]> interrupted) {}

    /**
     * Reads a journal; a torn last line is ignored, any other bad line is an error.
     *
     * @throws GraftInputException if the journal is malformed
     */
    public static Replay read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GraftInputException(file + ": cannot read the journal: " + e.getMessage());
        }
        String signature = null;
        Map<Integer, Trial> trials = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new GraftInputException(file + ": line " + (i + 1) + " is not JSON");
            }
            String event = n.path("event").asText();
            int number = n.path("trial").asInt(-1);
            switch (event) {
                case "study" -> signature = n.path("space").asText();
                case "ask" -> {
                    int[] point = new int[n.path("point").size()];
                    for (int k = 0; k < point.length; k++) {
                        point[k] = n.path("point").get(k).asInt();
                    }
                    trials.put(number, Trial.running(number, point));
                }
                case "report" -> { // journals written before the tell record carried the values
                    Trial t = trials.get(number);
                    if (t != null) {
                        List<Double> v = new ArrayList<>(t.intermediate());
                        v.add(n.path("value").asDouble());
                        trials.put(number, new Trial(number, t.point(), TrialState.RUNNING, Double.NaN, v, ""));
                    }
                }
                case "tell" -> {
                    Trial t = trials.get(number);
                    if (t != null) {
                        double value = n.has("value") ? n.path("value").asDouble() : Double.NaN;
                        double[] objectives = new double[n.path("objectives").size()];
                        for (int k = 0; k < objectives.length; k++) {
                            objectives[k] = n.path("objectives").get(k).asDouble();
                        }
                        List<Double> intermediate = t.intermediate();
                        if (n.has("intermediate")) {
                            intermediate = new ArrayList<>();
                            for (JsonNode v : n.path("intermediate")) {
                                intermediate.add(v.asDouble());
                            }
                        }
                        trials.put(number, new Trial(number, t.point(), TrialState.valueOf(n.path("state").asText()),
                                value, intermediate, n.path("message").asText(), objectives));
                    }
                }
                default -> throw new GraftInputException(file + ": line " + (i + 1) + " has unknown event '" + event + "'");
            }
        }
        if (signature == null) {
            throw new GraftInputException(file + ": not a trial journal (no study line)");
        }
        List<Trial> finished = new ArrayList<>();
        List<int[]> interrupted = new ArrayList<>();
        for (Trial t : trials.values()) {
            if (t.state().finished()) {
                finished.add(t);
            } else {
                interrupted.add(t.point());
            }
        }
        return new Replay(signature, finished, interrupted);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
