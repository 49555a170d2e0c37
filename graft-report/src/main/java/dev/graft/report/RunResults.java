package dev.graft.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.graft.GraftInputException;
import dev.graft.experiment.CrossValidation;
import dev.graft.experiment.LayerDecision;
import dev.graft.experiment.RunRecord;
import dev.graft.experiment.SearchTrace;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.provenance.Provenance;
import dev.graft.search.Trial;
import dev.graft.search.TrialJournal;
import dev.graft.search.TrialState;
import dev.graft.train.TrainResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a run directory holds, read back from its files. Every kind of folder Graft writes reads
 * back: the comparison of {@code graft compare} ({@code OUTPUT/results.json}), the search of
 * {@code graft search} ({@code OUTPUT/search/results.json}, or only its journal
 * {@code search.jsonl} when the search did not finish), one fine-tune of {@code graft train}
 * ({@code OUTPUT/train/STRATEGY/results.json}, a single run) and a cross-validation of
 * {@code graft train --folds} ({@code OUTPUT/cv/STRATEGY/results.json}).
 *
 * @param dir the run directory
 * @param experiment the experiment's name
 * @param provenance where the results came from
 * @param classNames the target's class names
 * @param runs every run of the comparison (empty for a search alone)
 * @param search the search, when the directory holds one
 * @param crossValidation the cross-validation, when the directory holds one
 */
public record RunResults(Path dir, String experiment, Provenance provenance, List<String> classNames,
        List<RunRecord> runs, Optional<Search> search, Optional<CrossValidated> crossValidation) {

    /** A comparison or search, without cross-validation. */
    public RunResults(Path dir, String experiment, Provenance provenance, List<String> classNames,
            List<RunRecord> runs, Optional<Search> search) {
        this(dir, experiment, provenance, classNames, runs, search, Optional.empty());
    }

    /**
     * A strategy's k-fold cross-validation.
     *
     * @param strategy the strategy
     * @param result each fold's test metrics (null for a diverged fold) and their summaries
     */
    public record CrossValidated(String strategy, CrossValidation.Result result) {}

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A policy search's outcome.
     *
     * @param sampler the sampler
     * @param metric the validation metric
     * @param shots shots per class
     * @param bestPolicy the best policy in one line (empty when unfinished)
     * @param bestValidation its validation value (NaN when unfinished)
     * @param test its test metrics (null when unfinished)
     * @param transfer what its plan does to each layer
     * @param history its per-epoch training history
     * @param trace the search, trial by trial
     * @param pareto for a search with several objectives, the non-dominated policies (empty otherwise)
     * @param finished whether results.json was written (false: read from the journal only)
     * @param classicalHead the classical head every trial ended in, in words (empty: none)
     */
    public record Search(String sampler, String metric, int shots, String bestPolicy, double bestValidation,
            ClassificationMetrics test, List<LayerDecision> transfer, List<TrainResult.EpochRecord> history,
            SearchTrace trace, List<ParetoPoint> pareto, boolean finished, String classicalHead) {
        /** A search whose trials scored the network's own head. */
        public Search(String sampler, String metric, int shots, String bestPolicy, double bestValidation,
                ClassificationMetrics test, List<LayerDecision> transfer, List<TrainResult.EpochRecord> history,
                SearchTrace trace, List<ParetoPoint> pareto, boolean finished) {
            this(sampler, metric, shots, bestPolicy, bestValidation, test, transfer, history, trace, pareto, finished,
                    "");
        }
    }

    /**
     * One policy of a Pareto front.
     *
     * @param policy its summary
     * @param objectives objective name → value, in the search's order
     */
    public record ParetoPoint(String policy, java.util.LinkedHashMap<String, Double> objectives) {}

    /**
     * Reads a run directory.
     *
     * @throws GraftInputException if it holds no results, or a file is malformed
     */
    public static RunResults read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GraftInputException(dir + (Files.exists(dir) ? ": not a folder; give the run's output folder"
                    : ": no such folder"));
        }
        Path compare = dir.resolve("results.json");
        Path searchDir = dir.resolve("search");
        Optional<Search> search = readSearch(searchDir);
        JsonNode root = null;
        if (Files.isRegularFile(compare)) {
            root = parse(compare);
            if (root.has("cross_validation")) {
                return crossValidation(dir, compare, root);
            }
            if (!root.has("runs") && root.has("trials")) {
                // a search's results.json handed over directly: the directory is the search folder
                search = Optional.of(searchFrom(compare, root, dir.resolve("search.jsonl")));
                root = null;
            }
        }
        if (root == null && search.isEmpty()) {
            throw new GraftInputException(dir + ": no results.json or search/ results here; run graft compare, "
                    + "graft search or graft demo first");
        }
        if (root == null) {
            Path file = Files.isRegularFile(searchDir.resolve("results.json")) ? searchDir.resolve("results.json")
                    : dir.resolve("results.json");
            JsonNode s = Files.isRegularFile(file) ? parse(file) : JSON.createObjectNode();
            return new RunResults(dir, text(s, "experiment", "search"), provenance(s), strings(s.get("class_names")),
                    List.of(), search);
        }
        try {
            // graft train writes one run under "run"; graft compare every run under "runs"
            List<RunRecord> runs = root.has("run") && !root.has("runs")
                    ? List.of(JSON.convertValue(root.get("run"), RunRecord.class))
                    : JSON.convertValue(root.get("runs"), new TypeReference<List<RunRecord>>() { });
            if (runs == null) {
                throw new GraftInputException(compare + ": not a results file Graft can read: it has no runs");
            }
            return new RunResults(dir, text(root, "experiment", "experiment"), provenance(root),
                    strings(root.get("class_names")), runs, search);
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(compare + ": not a results file Graft can read: " + firstLine(e));
        }
    }

    private static RunResults crossValidation(Path dir, Path file, JsonNode root) {
        try {
            CrossValidation.Result cv = JSON.convertValue(root.get("cross_validation"), CrossValidation.Result.class);
            return new RunResults(dir, text(root, "experiment", "experiment"), provenance(root),
                    strings(root.get("class_names")), List.of(), Optional.empty(),
                    Optional.of(new CrossValidated(text(root, "strategy", "?"), cv)));
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(file + ": not a cross-validation results file Graft can read: " + firstLine(e));
        }
    }

    private static Optional<Search> readSearch(Path searchDir) {
        Path results = searchDir.resolve("results.json");
        Path journal = searchDir.resolve("search.jsonl");
        if (Files.isRegularFile(results)) {
            return Optional.of(searchFrom(results, parse(results), journal));
        }
        if (Files.isRegularFile(journal)) {
            return Optional.of(fromJournal(journal));
        }
        return Optional.empty();
    }

    private static Search searchFrom(Path file, JsonNode root, Path journal) {
        try {
            JsonNode best = root.path("best");
            SearchTrace trace = root.has("trace") ? JSON.convertValue(root.get("trace"), SearchTrace.class)
                    : Files.isRegularFile(journal) ? fromJournal(journal).trace()
                    : new SearchTrace(text(root, "sampler", "?"), text(root, "metric", "?"), List.of(), List.of());
            List<ParetoPoint> pareto = root.has("pareto")
                    ? JSON.convertValue(root.get("pareto"), new TypeReference<List<ParetoPoint>>() { }) : List.of();
            return new Search(text(root, "sampler", "?"), text(root, "metric", "?"), root.path("shots").asInt(0),
                    best.path("policy").asText(""), best.path("validation").asDouble(Double.NaN),
                    best.hasNonNull("test") ? JSON.convertValue(best.get("test"), ClassificationMetrics.class) : null,
                    best.has("transfer") ? JSON.convertValue(best.get("transfer"),
                            new TypeReference<List<LayerDecision>>() { }) : List.of(),
                    best.has("history") ? JSON.convertValue(best.get("history"),
                            new TypeReference<List<TrainResult.EpochRecord>>() { }) : List.of(),
                    trace, pareto, true, text(root, "classical_head", ""));
        } catch (IllegalArgumentException e) {
            throw new GraftInputException(file + ": not a search results file Graft can read: " + firstLine(e));
        }
    }

    /** An unfinished search: its trace from the journal, values and best-so-far only. */
    private static Search fromJournal(Path journal) {
        TrialJournal.Replay replay = TrialJournal.read(journal);
        List<SearchTrace.Point> points = new ArrayList<>();
        double best = Double.NaN;
        for (Trial t : replay.finished()) {
            if (t.hasValue() && (Double.isNaN(best) || t.value() > best)) {
                best = t.value();
            }
            points.add(new SearchTrace.Point(t.number(), t.state().name().toLowerCase(Locale.ROOT),
                    t.state() == TrialState.FAILED ? Double.NaN : t.value(), best, Double.NaN, "trial " + t.number()));
        }
        SearchTrace trace = new SearchTrace("journal", "validation", points, List.of());
        return new Search("journal", "validation", 0, "", best, null, List.of(), List.of(), trace, List.of(), false);
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new GraftInputException(file + ": not valid JSON: " + firstLine(e));
        }
    }

    private static Provenance provenance(JsonNode root) {
        JsonNode p = root.get("provenance");
        return p == null || p.isNull() ? null : JSON.convertValue(p, Provenance.class);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
