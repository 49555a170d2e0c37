package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.CsvReader;
import dev.graft.data.DataException;
import dev.graft.data.DataLimits;
import dev.graft.data.Examples;
import dev.graft.data.RegressionTargets;
import dev.graft.experiment.ExperimentConfig.DataSection;
import dev.graft.experiment.ExperimentConfig.TaskSection;
import dev.graft.metrics.RegressionLoss;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A regression task's data ({@code task: regression}): a CSV whose label column holds real
 * values. The pool and test set are read as {@link TaskData} reads a classification's (the test
 * file's columns must be the training file's, {@code test_fraction} splits at random,
 * {@code normalize} works on the features as for any CSV), and then the targets are standardized
 * with the training pool's mean and standard deviation: the model learns
 * {@code (y − mean) / std} and its outputs are turned back into the target's units for every
 * metric and prediction. The options that only make sense for classes are refused, naming the key.
 * Stateless.
 */
final class RegressionData {
    private RegressionData() {}

    /**
     * The regression loss a task section asks for, or empty for a classification.
     *
     * @param where the section's key ({@code exp.yaml: task})
     * @throws GraftInputException for an unknown type or loss, a loss given for a classification,
     *     or a non-positive {@code huber_delta}
     */
    static Optional<RegressionLoss> loss(TaskSection t, String where) {
        if (t == null) {
            return Optional.empty();
        }
        if (t.type() == null) {
            throw new GraftInputException(where + ".type: missing; say which task (classification or regression)");
        }
        String type = t.type().toLowerCase(Locale.ROOT);
        if (type.equals("classification")) {
            if (t.loss() != null || t.huberDelta() != null) {
                throw new GraftInputException(where + ": loss and huber_delta are a regression's (task: {type: "
                        + "regression, loss: ...}); a classification trains on cross-entropy");
            }
            return Optional.empty();
        }
        if (!type.equals("regression")) {
            throw new GraftInputException(where + ".type: unknown task '" + t.type() + "' (classification, regression)");
        }
        RegressionLoss.Kind kind = t.loss() == null ? RegressionLoss.Kind.MSE
                : TrainSettings.parse(RegressionLoss.Kind.class, t.loss(), where + ".loss");
        if (t.huberDelta() != null && kind != RegressionLoss.Kind.HUBER) {
            throw new GraftInputException(where + ".huber_delta: only loss huber takes a threshold");
        }
        double delta = t.huberDelta() == null ? 1.0 : t.huberDelta();
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new GraftInputException(where + ".huber_delta: must be a positive number, got " + delta);
        }
        return Optional.of(new RegressionLoss(kind, delta));
    }

    /**
     * Reads a regression's data section.
     *
     * @throws GraftInputException if the format is not CSV, a classification-only key is set, a file
     *     is missing or malformed, or a target is not a finite number (naming the file, line and column)
     */
    static TaskData load(DataSection d, RegressionLoss loss, Path base, String where) {
        if (d == null) {
            throw new GraftInputException(where + ": missing 'data'");
        }
        String format = DataFormats.name(d);
        if (!"csv".equals(format)) {
            throw new GraftInputException(where + ".format: task: regression reads a CSV's label column as values; "
                    + "format " + format + " has class labels only (use format: csv)");
        }
        refuse(d.classes() != null, where + ".classes", "selects classes");
        refuse(d.classNames() != null, where + ".class_names", "names classes");
        refuse(d.caps() != null, where + ".caps", "caps samples per class");
        refuse(d.groups() != null, where + ".groups", "measures accuracy per group");
        refuse(d.text() != null, where + ".text", "is for text formats");
        refuse(d.image() != null, where + ".image", "is for image folders");
        refuse(d.shift() != null || d.testShift() != null, where + ".shift", "changes image pixels");
        refuse(d.trainLabels() != null || d.testLabels() != null, where + ".train_labels", "is for IDX files");
        DataLimits limits = TaskData.limits(d.limits(), where + ".limits");
        Path trainPath = TaskData.path(base, d.trainImages(), where + ".train_images");
        Path testPath = d.testImages() == null ? null : TaskData.path(base, d.testImages(), where + ".test_images");
        String label = d.csv() == null ? null : d.csv().label();
        boolean header = d.csv() == null || d.csv().header() == null || d.csv().header();
        Examples pool;
        Examples test = null;
        List<String> columns;
        try {
            CsvReader.Result r = CsvReader.readValues(trainPath, label, header, limits, loss);
            pool = r.examples();
            columns = r.columns();
            if (testPath != null) {
                CsvReader.Result t = CsvReader.readValues(testPath, label, header, limits, loss);
                // columns are matched by position: a reordered header would swap features silently
                if (header && !t.columns().equals(r.columns())) {
                    throw new GraftInputException(testPath + ": line 1: the columns (" + String.join(", ", t.columns())
                            + ") differ from the training file's (" + String.join(", ", r.columns()) + ")");
                }
                test = t.examples();
                if (!test.sampleShape().equals(pool.sampleShape())) {
                    throw new GraftInputException(testPath + ": samples of shape " + test.sampleShape()
                            + ", but the training pool's are " + pool.sampleShape());
                }
            }
        } catch (DataException e) {
            throw new GraftInputException(e.getMessage());
        }
        if (d.testFraction() != null) {
            // one class: the "stratified" split is a seeded random one
            Examples.Split split = TaskData.testFraction(d, pool, test, where);
            test = split.first();
            pool = split.rest();
        }
        Examples.Normalization norm = null;
        String normWords = "none (no data.normalize): the values are used as read";
        if (d.normalize() != null) {
            norm = TaskData.normalization(d.normalize(), pool, where + ".normalize");
            normWords = TaskData.words(d.normalize(), norm, pool);
            pool = TaskData.finite(pool.normalized(norm), where + ".normalize");
            test = test == null ? null : TaskData.finite(test.normalized(norm), where + ".normalize");
        }
        // the training pool's statistics only: the test set must not inform training
        RegressionTargets scaled = pool.targets().standardizedBy(pool.targets().values());
        pool = pool.withTargets(scaled);
        if (test != null) {
            test = test.withTargets(new RegressionTargets(test.targets().values(), scaled.mean(), scaled.std(), loss));
        }
        String column = targetColumn(columns, label);
        String target = String.format(Locale.ROOT, "'%s', real values (task: regression, loss %s): mean %.6g, "
                + "std %.6g on the %d training-pool samples; the model learns them standardized", column,
                loss.keyword() + (loss.kind() == RegressionLoss.Kind.HUBER ? " δ=" + loss.delta() : ""),
                scaled.mean(), scaled.std(), pool.size());
        DataReport report = new DataReport(trainPath, testPath, format, pool.size(), test == null ? 0 : test.size(),
                List.of(column), List.of(), List.of(), normWords, null, target);
        return new TaskData(pool, test, List.of(column), norm, report);
    }

    /**
     * Refuses a classification CSV whose labels are real numbers, unless the task says classification.
     *
     * @param names the file's distinct labels
     * @throws GraftInputException "FILE: the label column 'y' holds real numbers (such as '0.25') ..."
     */
    static void refuseRealLabels(List<String> names, DataSection d, Path file) {
        Optional<String> real = CsvReader.realValued(names);
        if (real.isPresent()) {
            String label = d.csv() == null ? null : d.csv().label();
            String column = label != null ? "'" + label + "'" : "(the last column)";
            throw new GraftInputException(file + ": the label column " + column + " holds real numbers (such as '"
                    + real.get() + "'), which would become " + names.size() + " classes; set task: regression to "
                    + "predict them as values, or task: classification to keep them as class names");
        }
    }

    /**
     * As {@link #refuseRealLabels}, reading the training file's labels itself (when reading the
     * data failed, so that the real cause is named); does nothing if the file cannot be read.
     */
    static void refuseRealLabelsIn(DataSection d, Path train, DataLimits limits) {
        CsvReader.Result r;
        try {
            boolean header = d.csv() == null || d.csv().header() == null || d.csv().header();
            r = CsvReader.read(train, d.csv() == null ? null : d.csv().label(),
                    d.groups() == null ? null : d.groups().column(), header, null, limits);
        } catch (RuntimeException e) {
            return;
        }
        if (!r.numbered()) {
            refuseRealLabels(r.classNames(), d, train);
        }
    }

    /** The target column's name: the header's, or its number. */
    private static String targetColumn(List<String> columns, String label) {
        if (columns == null || columns.isEmpty()) {
            return label == null ? "target" : "column " + label;
        }
        if (label == null) {
            return columns.get(columns.size() - 1);
        }
        return columns.contains(label) ? label : columns.get(Integer.parseInt(label));
    }

    private static void refuse(boolean set, String key, String what) {
        if (set) {
            throw new GraftInputException(key + ": " + what + ", which a regression (task: regression) has none "
                    + "of; leave it out");
        }
    }
}
