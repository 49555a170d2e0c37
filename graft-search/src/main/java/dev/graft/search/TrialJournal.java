package dev.graft.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 *
 * <p>Crash rules: the file is created atomically with its study line (a kill at creation leaves
 * no file, or a complete one); a torn or garbage last line (the kill or a full disk came
 * mid-append) is ignored on replay and cut off before the next append, so nothing is ever glued
 * onto a fragment; a journal that holds no trial (empty, or only a torn first line) counts as
 * new. The journal is never opened through a symbolic link. Trial numbers are never reused: a
 * trial that re-runs an interrupted one's point has a new number, and its ask says which one it
 * re-runs ({@code "rerun_of"}), so that a later replay does not run that point a third time.
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
     * Opens a journal for appending. A missing journal, or one that holds no trial, is (re)created
     * atomically with a line describing the space; an existing one is cut back to its last
     * complete record first.
     *
     * @throws GraftInputException if an existing journal was written for another space, is
     *     malformed, or is a symbolic link
     * @throws UncheckedIOException if the file cannot be written
     */
    public static TrialJournal open(Path file, SearchSpace space) {
        return open(file, space, "");
    }

    /**
     * Opens a journal whose trials are scored as {@code scoring} says (the metric, the fitness
     * estimator, the objectives, the shots and seed): resuming it under other scoring is refused,
     * since the old trials' values would be compared with new ones of another kind.
     *
     * @throws GraftInputException also if the journal was written under other scoring (journals
     *     from before scoring was recorded are accepted)
     */
    public static TrialJournal open(Path file, SearchSpace space, String scoring) {
        refuseLink(file);
        try {
            Replay r = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file) : Replay.EMPTY;
            if (r.empty()) {
                ObjectNode n = JSON.createObjectNode().put("event", "study").put("space", signature(space))
                        .put("scoring", scoring).put("at_ms", System.currentTimeMillis());
                AtomicFiles.writeString(file, n + "\n");
                r = read(file);
            } else if (!r.spaceSignature().equals(signature(space))) {
                throw new GraftInputException(file + ": the journal was written for a different search space");
            } else if (!r.scoring().isEmpty() && !scoring.isEmpty() && !r.scoring().equals(scoring)) {
                throw new GraftInputException(file + ": the journal's trials were scored by " + r.scoring()
                        + ", this run scores by " + scoring + "; resume with the settings it was started with, or "
                        + "write to a new output folder");
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                if (ch.size() > r.validLength()) {
                    ch.truncate(r.validLength());
                    ch.force(true);
                }
                ch.position(r.validLength());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new TrialJournal(file, ch);
        } catch (FileSystemException e) {
            refuseLink(file);
            throw new UncheckedIOException(file + ": cannot open the journal: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open the journal: " + e.getMessage(), e);
        }
    }

    /** Refuses a journal path that is a symbolic link: the journal would be written outside its run folder. */
    private static void refuseLink(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new GraftInputException(file + ": is a symbolic link; Graft does not write its journal through "
                    + "a link (remove it, or point the output elsewhere)");
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
        append(ask(t));
    }

    /** Records the re-run, so that a later replay neither runs the interrupted trial again nor draws for it. */
    @Override
    public void askedAgain(Trial t, int interrupted) {
        append(ask(t).put("rerun_of", interrupted));
    }

    private static ObjectNode ask(Trial t) {
        ObjectNode n = JSON.createObjectNode().put("event", "ask").put("trial", t.number());
        ArrayNode p = n.putArray("point");
        for (int i : t.point()) {
            p.add(i);
        }
        return n;
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
        if (!Double.isNaN(t.stderr())) {
            n.put("stderr", t.stderr());
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
     * @param spaceSignature the space it was written for ("" when it holds nothing)
     * @param events its records in order: an ask is a running trial, a tell the finished trial.
     *     Numbers are the journal's own; a legacy journal may ask again under a finished number
     * @param reruns for an ask that ran an interrupted trial's point again, that trial's number,
     *     by the asking trial's number
     * @param validLength the bytes up to the end of its last complete record; anything after
     *     (a torn or garbage last line) is cut off before the next append
     */
    public record Replay(String spaceSignature, List<Trial> events, Map<Integer, Integer> reruns, long validLength,
            String scoring) {
        static final Replay EMPTY = new Replay("", List.of(), Map.of(), 0, "");

        public Replay {
            events = List.copyOf(events);
            reruns = Map.copyOf(reruns);
        }

        /** Whether it holds no complete record (new, empty, or only a torn first line): it is created afresh. */
        public boolean empty() {
            return spaceSignature.isEmpty() && events.isEmpty();
        }

        /** Whether any trial was asked: a journal without one holds nothing that starting afresh would lose. */
        public boolean hasTrials() {
            return !events.isEmpty();
        }

        /** The trials that finished, in the order they were told. */
        public List<Trial> finished() {
            return events.stream().filter(t -> t.state().finished()).toList();
        }

        /** The points of trials that were running when the journal ends, in the order they were asked. */
        public List<int[]> interrupted() {
            Map<Integer, Trial> running = new LinkedHashMap<>();
            for (Trial t : events) {
                if (t.state().finished()) {
                    running.remove(t.number());
                } else {
                    running.remove(reruns.get(t.number()));
                    running.put(t.number(), t);
                }
            }
            return running.values().stream().map(Trial::point).toList();
        }
    }

    /**
     * Reads a journal. A torn or garbage last line (bytes after the last newline, or a last line
     * that is not UTF-8 JSON) is ignored; any other bad line is an error. A file that holds no
     * complete record reads as {@link Replay#empty() empty}.
     *
     * @throws GraftInputException if the journal cannot be read, is malformed, has trials but no
     *     study line, or is a symbolic link
     */
    public static Replay read(Path file) {
        refuseLink(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GraftInputException(file + ": cannot read the journal: " + e.getMessage());
        }
        // split on bytes, not characters: a record torn inside a multi-byte character is still
        // only a torn record, and must not make the whole file undecodable
        List<int[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new int[] {from, i});
                from = i + 1;
            }
        }
        String signature = null;
        String scoring = "";
        List<Trial> events = new ArrayList<>();
        Map<Integer, Trial> asked = new LinkedHashMap<>();
        Map<Integer, Integer> reruns = new java.util.HashMap<>();
        long valid = 0;
        for (int i = 0; i < lines.size(); i++) {
            int[] line = lines.get(i);
            JsonNode n = parse(bytes, line[0], line[1]);
            if (n == null) {
                if (i == lines.size() - 1) {
                    break; // a garbage last line: a crash mid-append that happened to end in a newline
                }
                throw new GraftInputException(file + ": line " + (i + 1) + " is not JSON");
            }
            valid = line[1] + 1L;
            if (n.isMissingNode()) {
                continue; // a blank line
            }
            String event = n.path("event").asText();
            int number = n.path("trial").asInt(-1);
            switch (event) {
                case "study" -> {
                    signature = n.path("space").asText();
                    scoring = n.path("scoring").asText("");
                }
                case "ask" -> {
                    int[] point = new int[n.path("point").size()];
                    for (int k = 0; k < point.length; k++) {
                        point[k] = n.path("point").get(k).asInt();
                    }
                    Trial t = Trial.running(number, point);
                    if (n.has("rerun_of")) {
                        reruns.put(number, n.path("rerun_of").asInt());
                    }
                    asked.put(number, t);
                    events.add(t);
                }
                case "report" -> { // journals written before the tell record carried the values
                    Trial t = asked.get(number);
                    if (t != null && !t.state().finished()) {
                        List<Double> v = new ArrayList<>(t.intermediate());
                        v.add(n.path("value").asDouble());
                        asked.put(number, new Trial(number, t.point(), TrialState.RUNNING, Double.NaN, v, ""));
                    }
                }
                case "tell" -> {
                    Trial t = asked.get(number);
                    if (t != null && !t.state().finished()) {
                        Trial done = told(n, t);
                        asked.put(number, done);
                        events.add(done);
                    }
                }
                default -> throw new GraftInputException(file + ": line " + (i + 1) + " has unknown event '" + event + "'");
            }
        }
        if (signature == null) {
            if (!events.isEmpty()) {
                throw new GraftInputException(file + ": not a trial journal (no study line)");
            }
            return new Replay("", List.of(), Map.of(), valid, "");
        }
        return new Replay(signature, events, reruns, valid, scoring);
    }

    /** One line as JSON; a missing node for a blank line, null if it is not UTF-8 JSON. */
    private static JsonNode parse(byte[] bytes, int from, int to) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            if (text.isBlank()) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The finished trial a tell record describes. */
    private static Trial told(JsonNode n, Trial t) {
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
        TrialState state;
        try {
            state = TrialState.valueOf(n.path("state").asText());
        } catch (IllegalArgumentException e) {
            state = TrialState.FAILED;
        }
        if (!state.finished()) {
            state = TrialState.FAILED;
        }
        return new Trial(t.number(), t.point(), state, value, intermediate, n.path("message").asText(), objectives,
                n.has("stderr") ? n.path("stderr").asDouble() : Double.NaN);
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
