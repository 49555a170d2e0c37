package dev.graft.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a trained model's inputs were prepared: the data section's format, reader options and class
 * selection, the class names in output order, and the normalization statistics actually applied
 * (so that {@code auto} becomes the pool's numbers). {@code graft train} stores it in the
 * checkpoint's metadata under {@link #KEY}; {@code graft predict} reads new data the same way.
 *
 * <p>For a text task the section's {@code text} holds the tokenizer.json as an absolute path, and
 * {@code tokenizerSha256} its digest: new texts are tokenized only by the very same file.
 *
 * @param data the data section without paths, splits or domain shifts; {@code normalize} holds fixed
 *     constants (or none)
 * @param classNames the model's classes, output index order
 * @param columns the CSV's column names (a CSV with a header), or null
 * @param tokenizerSha256 the SHA-256 of the tokenizer.json that tokenized the training texts, or
 *     null for other formats
 * @param target a regression's target: its column and the standardization its outputs undo; null
 *     for a classification (and in checkpoints from before regression)
 */
public record Preprocessing(ExperimentConfig.DataSection data, List<String> classNames, List<String> columns,
        String tokenizerSha256, Target target) {

    /**
     * A regression model's target: the network outputs {@code (y − mean) / std}.
     *
     * @param column the target column's name
     * @param mean the training pool's mean of the targets
     * @param std the training pool's standard deviation of the targets
     * @param loss the loss it trained on ({@code mse}, {@code mae}, {@code huber})
     * @param huberDelta Huber's δ (standardized units)
     */
    public record Target(String column, double mean, double std, String loss, double huberDelta) {

        /** The targets' form for {@code values} read from a file to predict (their own units). */
        public dev.graft.data.RegressionTargets of(float[] values) {
            return new dev.graft.data.RegressionTargets(values, mean, std, new dev.graft.metrics.RegressionLoss(
                    TrainSettings.parse(dev.graft.metrics.RegressionLoss.Kind.class, loss, "target.loss"), huberDelta));
        }
    }

    /** A classification's preparation (no target). */
    public Preprocessing(ExperimentConfig.DataSection data, List<String> classNames, List<String> columns,
            String tokenizerSha256) {
        this(data, classNames, columns, tokenizerSha256, null);
    }
    /** The checkpoint metadata key. */
    public static final String KEY = "graft.preprocessing";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /**
     * What an experiment's data section and its loaded data mean for new inputs; for a CSV with a
     * header, the training file's column names too (read from {@code base}), because features are
     * taken by position and a file with its columns in another order must be refused.
     */
    public static Preprocessing of(ExperimentConfig.DataSection d, TaskData loaded, java.nio.file.Path base) {
        List<String> columns = null;
        boolean csv = "csv".equalsIgnoreCase(d.format());
        if (csv && (d.csv() == null || d.csv().header() == null || d.csv().header()) && d.trainImages() != null) {
            java.nio.file.Path train = java.nio.file.Path.of(d.trainImages());
            columns = dev.graft.data.CsvReader.firstLine(train.isAbsolute() ? train : base.resolve(train),
                    dev.graft.data.DataLimits.DEFAULT).stream().map(String::trim).toList();
        }
        Examples.Normalization n = loaded.normalization();
        ExperimentConfig.NormalizeSection fixed = n == null ? null
                : new ExperimentConfig.NormalizeSection(doubles(n.mean()), doubles(n.std()), null);
        TextSummary text = loaded.report().text();
        ExperimentConfig.TextSection tokens = text == null ? null : new ExperimentConfig.TextSection(
                text.tokenizer().toString(), text.maxLength(), text.column(), d.text().label());
        ExperimentConfig.DataSection template = new ExperimentConfig.DataSection(d.format(), null, null, null, null,
                d.classes(), d.classNames(), null, null, null, null, null, fixed, d.csv(), d.image(), null, null,
                d.limits(), columnOnly(d.groups()), tokens);
        dev.graft.data.RegressionTargets t = loaded.pool().targets();
        Target target = t == null ? null : new Target(loaded.classNames().get(0), t.mean(), t.std(),
                t.loss().keyword(), t.loss().delta());
        return new Preprocessing(template, List.copyOf(loaded.classNames()), columns,
                text == null ? null : text.sha256(), target);
    }

    /**
     * The same preparation for the data at {@code images} (and IDX {@code labels}, or null).
     *
     * @throws GraftInputException for a text task, if the tokenizer.json training used is gone or
     *     has changed (its digest differs): other ids would be fed to the model without a word
     */
    public ExperimentConfig.DataSection sectionFor(String images, String labels) {
        ExperimentConfig.DataSection d = data;
        if (d.text() != null && tokenizerSha256 != null) {
            java.nio.file.Path tok = java.nio.file.Path.of(d.text().tokenizer());
            String found;
            try {
                found = dev.graft.data.TextTokenizer.sha256(tok);
            } catch (dev.graft.data.DataException e) {
                throw new GraftInputException(e.getMessage() + " (the tokenizer this model was trained with)");
            }
            if (!found.equals(tokenizerSha256)) {
                throw new GraftInputException(tok + ": not the tokenizer this model was trained with (sha256 "
                        + found.substring(0, 12) + "…, trained with " + tokenizerSha256.substring(0, 12) + "…)");
            }
        }
        return new ExperimentConfig.DataSection(d.format(), images, labels, null, null, d.classes(),
                d.classNames() != null ? d.classNames() : classNames, null, null, null, null, null, d.normalize(),
                d.csv(), d.image(), null, null, d.limits(), d.groups(), d.text());
    }

    /**
     * The same preparation with the tokenizer.json at {@code tokenizer} (the model moved to another
     * machine); {@link #sectionFor} still requires it to be the file training used, by digest.
     *
     * @throws GraftInputException if the model was not trained on texts
     */
    public Preprocessing withTokenizer(java.nio.file.Path tokenizer) {
        ExperimentConfig.DataSection d = data;
        if (d.text() == null) {
            throw new GraftInputException("--tokenizer " + tokenizer + ": the model was trained on " + d.format()
                    + " data, not on texts");
        }
        ExperimentConfig.TextSection t = new ExperimentConfig.TextSection(tokenizer.toAbsolutePath().toString(),
                d.text().maxLength(), d.text().text(), d.text().label());
        return new Preprocessing(new ExperimentConfig.DataSection(d.format(), d.trainImages(), d.trainLabels(),
                d.testImages(), d.testLabels(), d.classes(), d.classNames(), d.validationPerClass(),
                d.validationFraction(), d.testFraction(), d.splitSeed(), d.caps(), d.normalize(), d.csv(), d.image(),
                d.shift(), d.testShift(), d.limits(), d.groups(), t), classNames, columns, tokenizerSha256, target);
    }

    /**
     * Only a group column travels with the preparation: prediction files may hold it and it must
     * not be read as a feature; a mapping by class or file name says nothing about new samples.
     */
    private static ExperimentConfig.GroupsSection columnOnly(ExperimentConfig.GroupsSection g) {
        return g == null || g.column() == null ? null : new ExperimentConfig.GroupsSection(g.column(), null, null);
    }

    /**
     * The same preparation for files without the training file's group column: groups only name
     * subpopulations to measure, so a model must predict without them.
     */
    public Preprocessing withoutGroupColumn() {
        ExperimentConfig.DataSection d = data;
        if (d.groups() == null || d.groups().column() == null) {
            return this;
        }
        String group = d.groups().column();
        ExperimentConfig.DataSection plain = new ExperimentConfig.DataSection(d.format(), d.trainImages(),
                d.trainLabels(), d.testImages(), d.testLabels(), d.classes(), d.classNames(), d.validationPerClass(),
                d.validationFraction(), d.testFraction(), d.splitSeed(), d.caps(), d.normalize(), d.csv(), d.image(),
                d.shift(), d.testShift(), d.limits(), null, d.text());
        return new Preprocessing(plain, classNames,
                columns == null ? null : columns.stream().filter(c -> !c.equals(group)).toList(), tokenizerSha256,
                target);
    }

    /** As JSON, for checkpoint metadata. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode preprocessing", e);
        }
    }

    /**
     * Reads what {@link #toJson} wrote into a checkpoint's metadata.
     *
     * @throws GraftInputException naming {@code label} if the metadata is not such JSON
     */
    public static Preprocessing fromMetadata(Map<String, String> metadata, String label) {
        String json = metadata.get(KEY);
        if (json == null) {
            throw new GraftInputException(label + ": no '" + KEY + "' metadata (it records how inputs were "
                    + "prepared; graft train writes it): predict with a checkpoint written by graft train");
        }
        try {
            return JSON.readValue(json, Preprocessing.class);
        } catch (JsonProcessingException e) {
            throw new GraftInputException(label + ": metadata '" + KEY + "' is not valid: " + e.getOriginalMessage());
        }
    }

    private static List<Double> doubles(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add((double) x);
        }
        return out;
    }
}
