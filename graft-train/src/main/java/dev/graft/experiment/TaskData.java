package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.data.Groups;
import dev.graft.data.DataLimits;
import dev.graft.experiment.ExperimentConfig.DataSection;
import dev.graft.experiment.ExperimentConfig.LimitsSection;
import dev.graft.experiment.ExperimentConfig.NormalizeSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A task's data, ready for training: the training pool and test set with classes selected,
 * relabelled, capped and normalized.
 *
 * @param pool the samples training (and validation) are drawn from
 * @param test the held-out test set, or null
 * @param classNames a name per class
 * @param normalization what was applied to both sets, or null for none
 * @param report what loading found and did, for the run's output
 */
public record TaskData(Examples pool, Examples test, List<String> classNames, Examples.Normalization normalization,
        DataReport report) {

    /**
     * Loads a data section; relative paths are resolved against {@code base}. The training pool
     * fixes the class list (or {@code class_names}, when it names every training label); the test
     * file's labels map onto it by name, or by number for numbered labels, never by their order in
     * the test file alone. {@code normalize: {auto: true}} uses the training pool's statistics, per
     * feature for CSV vectors and per channel for images. What was found and done (classes, hidden
     * entries skipped, classes the test set lacks, normalization, tokenization) is in {@link #report()}.
     * Each {@code format} is read by its {@link DataFormat}; a text task's samples are token ids.
     *
     * @throws GraftInputException if files are missing, malformed or too large, a test label is not
     *     a training class, a kept class has no training sample, fixed normalization constants are
     *     neither one nor one per channel or feature, the section is inconsistent, or it sets an
     *     option its format does not take (normalize or a shift on token ids, data.text for a
     *     format without texts) (the message names the file or key)
     */
    public static TaskData load(DataSection d, Path base, String where) {
        return load(d, null, base, where);
    }

    /**
     * As {@link #load(DataSection, Path, String)} for an experiment's {@code task}: a regression's
     * data are read by {@link RegressionData}; a classification's CSV whose label column holds real
     * numbers ({@code 0.25}) is refused unless {@code task: classification} says so, since each
     * distinct value would become a class.
     *
     * @param task the experiment's task section, or null (a classification, real-valued labels refused)
     * @throws GraftInputException as the other load, or for a real-valued label column without a
     *     task (naming the file and column)
     */
    public static TaskData load(DataSection d, ExperimentConfig.TaskSection task, Path base, String where) {
        var loss = RegressionData.loss(task, where + " (task)");
        if (loss.isPresent()) {
            return RegressionData.load(d, loss.get(), base, where);
        }
        boolean explicit = task != null && task.type() != null;
        if (d == null) {
            throw new GraftInputException(where + ": missing 'data'");
        }
        DataFormat fmt = DataFormats.of(d, where);
        String format = DataFormats.name(d);
        requireOptionsFor(fmt, format, d, where);
        DataLimits limits = limits(d.limits(), where + ".limits");
        Path trainPath = path(base, d.trainImages(), where + ".train_images");
        Path testPath = d.testImages() == null ? null : path(base, d.testImages(), where + ".test_images");
        ExperimentConfig.GroupsSection groups = d.groups();
        String groupsKey = where + ".groups";
        if (groups != null) {
            TaskGroups.check(groups, format, fmt, groupsKey);
        }
        DataFormat.Read read;
        try {
            read = fmt.read(new DataFormat.Input(d, base, where, trainPath, testPath, limits));
        } catch (RuntimeException e) {
            // a test file of real values fails as unknown classes first; the training file's labels say why
            if (!explicit && "csv".equals(format)) {
                RegressionData.refuseRealLabelsIn(d, trainPath, limits);
            }
            throw e;
        }
        Examples pool = read.pool();
        Examples test = read.test();
        List<String> names = read.names();
        List<String> hidden = read.hidden();
        // true when the class list came from class_names by name: they are then not display names
        boolean namedByClassNames = read.namedByClassNames();
        if (!explicit && "csv".equals(format) && names != null) {
            RegressionData.refuseRealLabels(names, d, trainPath);
        }
        if (test != null && !test.sampleShape().equals(pool.sampleShape())) {
            throw new GraftInputException(path(base, d.testImages(), where + ".test_images") + ": samples of shape "
                    + test.sampleShape() + ", but the training pool's are " + pool.sampleShape());
        }
        try {
            if (d.shift() != null) {
                dev.graft.data.DomainShift shift = dev.graft.data.DomainShift.of(d.shift());
                pool = shift.apply(pool);
                test = test == null ? null : shift.apply(test);
            }
            if (d.testShift() != null && test != null) {
                test = dev.graft.data.DomainShift.of(d.testShift()).apply(test);
            }
        } catch (dev.graft.data.DataException e) {
            throw new GraftInputException(where + ": " + e.getMessage());
        }
        if (d.classes() != null) {
            int[] keep = d.classes().stream().mapToInt(Integer::intValue).toArray();
            int[] counts = pool.classCounts();
            for (int k : keep) {
                // the reader's own message would name neither the file nor the class's name
                if (k >= 0 && k < counts.length && counts[k] == 0) {
                    throw new GraftInputException(where + ".classes: class " + describe(names, k)
                            + " has no samples in the training data " + trainPath);
                }
            }
            try {
                pool = pool.selectClasses(keep);
                // a test set need not hold every kept class
                test = test == null ? null : test.selectClasses(keep, false);
            } catch (dev.graft.data.DataException e) {
                throw new GraftInputException(where + ".classes: " + e.getMessage());
            }
            if (names != null) {
                List<String> kept = new ArrayList<>();
                for (int k : keep) {
                    kept.add(names.get(k));
                }
                names = kept;
            } else {
                names = d.classes().stream().map(String::valueOf).toList();
            }
        }
        if (d.classNames() != null && !namedByClassNames) {
            if (d.classNames().size() != pool.classes()) {
                throw new GraftInputException(where + ".class_names: " + d.classNames().size() + " names for "
                        + pool.classes() + " classes");
            }
            names = d.classNames();
        }
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c < pool.classes(); c++) {
                names.add(String.valueOf(c));
            }
        }
        if (groups != null && groups.byClass() != null) {
            Groups perClass = TaskGroups.byClass(groups.byClass(), names, groupsKey);
            pool = TaskGroups.perSample(perClass, pool);
            test = test == null ? null : TaskGroups.perSample(perClass, test);
        }
        if (d.testFraction() != null) {
            Examples.Split split = testFraction(d, pool, test, where);
            test = split.first();
            pool = split.rest();
        }
        if (d.caps() != null) {
            if (d.caps().size() != pool.classes()) {
                throw new GraftInputException(where + ".caps: " + d.caps().size() + " entries for " + pool.classes()
                        + " classes (one per class, in class order)");
            }
            pool = pool.capPerClass(d.caps().stream().mapToInt(Integer::intValue).toArray());
        }
        Examples.Normalization norm = null;
        String normWords = "none (no data.normalize): the values are used as read";
        if (d.normalize() != null) {
            norm = normalization(d.normalize(), pool, where + ".normalize");
            normWords = words(d.normalize(), norm, pool);
            pool = finite(pool.normalized(norm), where + ".normalize");
            test = test == null ? null : finite(test.normalized(norm), where + ".normalize");
        }
        List<String> missing = new ArrayList<>();
        if (test != null) {
            int[] counts = test.classCounts();
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] == 0) {
                    missing.add(describe(names, c));
                }
            }
        }
        if (read.text() != null) {
            normWords = "none: text samples are token ids";
        }
        DataReport report = new DataReport(trainPath, testPath, format, pool.size(), test == null ? 0 : test.size(),
                names, hidden, missing, normWords, read.text());
        return new TaskData(pool, test, List.copyOf(names), norm, report);
    }

    /** Whether the samples are token ids (a text task): the options for numbers and pixels do not apply. */
    public boolean tokens() {
        return report.text() != null;
    }

    /**
     * Refuses the options the format does not read: a section meant for another format, and on
     * token ids everything that treats values as measurements (each would silently turn ids into
     * the ids of other tokens).
     */
    private static void requireOptionsFor(DataFormat fmt, String format, DataSection d, String where) {
        boolean text = fmt.samples() == DataFormat.Samples.TOKENS;
        if (!text && d.text() != null) {
            throw new GraftInputException(where + ".text: read only by the formats "
                    + String.join(", ", DataFormats.names(f -> f.samples() == DataFormat.Samples.TOKENS))
                    + ", not " + format);
        }
        if (!text) {
            return;
        }
        if (d.csv() != null) {
            throw new GraftInputException(where + ".csv: not read by format " + format
                    + "; a text file's columns are named in data.text (text, label)");
        }
        if (d.image() != null) {
            throw new GraftInputException(where + ".image: not read by format " + format + " (it is for image folders)");
        }
        if (d.normalize() != null) {
            throw new GraftInputException(where + ".normalize: text samples are token ids, which name tokens rather "
                    + "than measure anything; normalizing them would make them other numbers (leave normalize out)");
        }
        if (d.shift() != null) {
            throw new GraftInputException(where + ".shift: domain shifts (invert, rotate, noise) change pixel values; "
                    + "text samples are token ids (leave shift out)");
        }
        if (d.testShift() != null) {
            throw new GraftInputException(where + ".test_shift: domain shifts (invert, rotate, noise) change pixel "
                    + "values; text samples are token ids (leave test_shift out)");
        }
    }

    /**
     * Draws {@code k} samples of each class from {@code set} (this task's training pool or a part of
     * it), naming the class that has too few.
     *
     * @param key the file and key that asked for {@code k} ({@code exp.yaml: shots})
     * @param after what was already taken from the pool, for the message ({@code after 5 shots}), or ""
     * @throws GraftInputException "KEY: class 'cat' (class 2) has 3 samples in the training data
     *     FILE, fewer than 5" when a class has fewer than {@code k}
     */
    public Examples.Split kShot(Examples set, int k, long seed, String key, String after) {
        requirePerClass(set, k, key, "the training data " + report.train() + (after.isEmpty() ? "" : " " + after));
        return set.kShot(k, seed);
    }

    /**
     * Draws {@code k} samples of each class from the test set, naming the class that has too few.
     *
     * @throws GraftInputException as {@link #kShot}, naming the test file or folder
     */
    public Examples.Split testKShot(int k, long seed, String key) {
        requirePerClass(test, k, key, "the test data " + (report.test() == null ? "(split off the training data)"
                : report.test()));
        return test.kShot(k, seed);
    }

    private void requirePerClass(Examples set, int k, String key, String split) {
        int[] counts = set.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < k) {
                throw new GraftInputException(key + ": class " + describe(classNames, c) + " has " + counts[c]
                        + (counts[c] == 1 ? " sample" : " samples") + " in " + split + ", fewer than " + k);
            }
        }
    }

    /** A class for a message: {@code 'cat' (class 2)}, or {@code 2} when its name is its number. */
    static String describe(List<String> names, int c) {
        if (names == null || c >= names.size() || names.get(c).equals(String.valueOf(c))) {
            return String.valueOf(c);
        }
        return "'" + names.get(c) + "' (class " + c + ")";
    }

    /** The normalization in words, with its constants. */
    static String words(NormalizeSection n, Examples.Normalization norm, Examples pool) {
        int k = norm.mean().length;
        String scope = pool.sampleShape().rank() > 1 ? "per channel (" + k + (k == 1 ? " channel)" : " channels)")
                : k == 1 ? "one mean and std for every feature" : "per feature (" + k + " features)";
        String from = Boolean.TRUE.equals(n.auto())
                ? ", computed on the " + pool.size() + " training-pool samples (auto; never the test set)"
                : ", as given in data.normalize";
        return scope + from + ": mean " + DataReport.values(norm.mean()) + ", std " + DataReport.values(norm.std());
    }

    /**
     * A training pool under its class list.
     *
     * @param pool the samples, relabelled when {@code class_names} fixed the order
     * @param names the class list
     * @param byClassNames whether {@code class_names} fixed it
     */
    record Named(Examples pool, List<String> names, boolean byClassNames) {}

    /**
     * The pool under {@code class_names} when that list names every label of a file of named labels
     * (numbered labels keep their numbers), else under the file's own sorted labels.
     */
    static Named named(Examples pool, List<String> labels, boolean numbered, List<String> classNames) {
        if (!numbered && coversAll(classNames, labels)) {
            return new Named(remap(pool, labels, classNames), classNames, true);
        }
        return new Named(pool, labels, false);
    }

    /** Whether {@code classNames} is given and names every class the training file has. */
    static boolean coversAll(List<String> classNames, List<String> labels) {
        return classNames != null && classNames.containsAll(labels) && new HashSet<>(classNames).size() == classNames.size();
    }

    /** Renumbers labels from one class list onto another that holds every name of the first. */
    static Examples remap(Examples e, List<String> from, List<String> to) {
        int[] map = new int[from.size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = to.indexOf(from.get(c));
        }
        int[] labels = new int[e.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[e.labels()[i]];
        }
        return new Examples(e.sampleShape(), e.features(), labels, to.size(), e.groups());
    }

    /**
     * Fixed constants (finite, std positive; one, or one per channel or feature) or the pool's
     * statistics: per feature for feature vectors (a CSV), per channel for images.
     */
    static Examples.Normalization normalization(NormalizeSection n, Examples pool, String where) {
        if (Boolean.TRUE.equals(n.auto())) {
            if (n.mean() != null || n.std() != null) {
                // both given: whichever won, the other would be ignored without a word
                throw new GraftInputException(where + ": give either auto: true or mean and std, not both");
            }
            if (pool.size() == 0) {
                throw new GraftInputException(where + ".auto: the training pool has no samples to compute statistics on");
            }
            // one statistic over all columns lets a column in the thousands swamp those near 1
            return pool.sampleShape().rank() == 1 ? pool.featureStats() : pool.channelStats();
        }
        if (n.mean() == null || n.std() == null || n.mean().size() != n.std().size() || n.mean().isEmpty()) {
            throw new GraftInputException(where + ": give mean and std of equal length, or auto: true");
        }
        long first = pool.sampleShape().get(0);
        if (n.mean().size() != 1 && n.mean().size() != first) {
            // any other length would be spread over the values silently, splitting an image in bands
            String unit = pool.sampleShape().rank() == 1 ? "features" : "channels";
            throw new GraftInputException(where + ".mean: " + n.mean().size() + " values, but a sample has " + first
                    + " " + unit + " (give 1, or one per " + unit.substring(0, unit.length() - 1) + ")");
        }
        float[] mean = new float[n.mean().size()];
        float[] std = new float[n.std().size()];
        for (int i = 0; i < mean.length; i++) {
            Double m = n.mean().get(i);
            Double s = n.std().get(i);
            if (m == null || !Float.isFinite(m.floatValue())) {
                throw new GraftInputException(where + ".mean[" + i + "]: must be a finite number, got " + m);
            }
            // std 0 divides by zero and a negative one flips the inputs: both end as a NaN loss later
            if (s == null || !Float.isFinite(s.floatValue()) || !(s.floatValue() > 0)) {
                throw new GraftInputException(where + ".std[" + i + "]: must be a positive finite number, got " + s);
            }
            mean[i] = m.floatValue();
            std[i] = s.floatValue();
        }
        return new Examples.Normalization(mean, std);
    }

    /** The samples, if every value stayed finite after normalization (a tiny std can overflow). */
    static Examples finite(Examples e, String where) {
        float[] f = e.features();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw new GraftInputException(where + ": sample " + i / e.sampleSize() + " becomes " + f[i]
                        + " when normalized; is std too small?");
            }
        }
        return e;
    }

    /** The reader limits: the defaults, overridden key by key. */
    static DataLimits limits(LimitsSection l, String where) {
        DataLimits def = DataLimits.DEFAULT;
        if (l == null) {
            return def;
        }
        long mb = positive(l.maxMb(), def.maxMb(), where + ".max_mb");
        long chars = positive(l.maxLineChars() == null ? null : l.maxLineChars().longValue(), def.maxLineChars(),
                where + ".max_line_chars");
        long fields = positive(l.maxFields() == null ? null : l.maxFields().longValue(), def.maxFields(),
                where + ".max_fields");
        long pixels = positive(l.maxImagePixels(), def.maxImagePixels(), where + ".max_image_pixels");
        return new DataLimits(mb, (int) chars, (int) fields, pixels);
    }

    private static long positive(Long value, long fallback, String where) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new GraftInputException(where + ": must be positive, got " + value);
        }
        return value;
    }

    /**
     * Whether a file to predict holds labels, when its format can tell from the file alone (a text
     * CSV's header names the label column, a JSON line has the label field); empty for the formats
     * whose caller decides (CSV by its column count, folders by their subfolders, IDX always).
     *
     * @param d the preparation the model was trained with, its {@code train_images} the file
     * @throws GraftInputException if the file cannot be read
     */
    public static java.util.Optional<Boolean> labelled(DataSection d, Path base, String where) {
        DataFormat fmt = DataFormats.of(d, where);
        return fmt.labelled(new DataFormat.Input(d, base, where, path(base, d.trainImages(), where), null,
                limits(d.limits(), where + ".limits")));
    }

    /**
     * Reads samples without labels, for prediction: a CSV file without its label column, or the
     * images directly inside a folder, prepared as {@code d} says (image size, fixed normalization).
     *
     * @throws GraftInputException if the format has no unlabelled form (IDX), or as {@link #load}
     */
    public static Examples loadUnlabelled(DataSection d, Path base, String where) {
        return loadForPrediction(d, base, where, null);
    }

    /**
     * Reads samples for prediction with their labels mapped by name onto {@code classes} (the
     * model's, in output order): a label the model was not trained on is refused, naming it and
     * the file, and never mapped by position. With {@code classes} null the samples are read
     * unlabelled, as {@link #loadUnlabelled} does.
     *
     * @throws GraftInputException if the format has no such form (IDX), a label is unknown, or as {@link #load}
     */
    public static Examples loadForPrediction(DataSection d, Path base, String where, List<String> classes) {
        DataFormat fmt = DataFormats.of(d, where);
        DataLimits limits = limits(d.limits(), where + ".limits");
        Path file = path(base, d.trainImages(), where);
        Examples samples = fmt.readForPrediction(new DataFormat.Input(d, base, where, file, null, limits), classes);
        return d.normalize() == null ? samples
                : finite(samples.normalized(normalization(d.normalize(), samples, where + ".normalize")),
                        where + ".normalize");
    }

    /**
     * Reads a regression model's samples for prediction, prepared as training's were (the CSV
     * options and fixed normalization of {@code d}): with their targets (in the file's units, under
     * the model's standardization) when {@code labelled}, else all features.
     *
     * @param d the model's preparation for the file ({@link Preprocessing#sectionFor})
     * @param target the model's target
     * @throws GraftInputException if the file is missing or malformed, naming it, the line and column
     */
    public static Examples loadRegressionForPrediction(DataSection d, Preprocessing.Target target, boolean labelled,
            Path base, String where) {
        DataLimits limits = limits(d.limits(), where + ".limits");
        Path file = path(base, d.trainImages(), where);
        boolean header = d.csv() == null || d.csv().header() == null || d.csv().header();
        Examples samples;
        try {
            if (labelled) {
                Examples e = dev.graft.data.CsvReader.readValues(file, d.csv() == null ? null : d.csv().label(),
                        header, limits, dev.graft.metrics.RegressionLoss.MSE).examples();
                samples = e.withTargets(target.of(e.targets().values()));
            } else {
                samples = dev.graft.data.CsvReader.readFeatures(file, header, limits).examples();
            }
        } catch (dev.graft.data.DataException e) {
            throw new GraftInputException(e.getMessage());
        }
        return d.normalize() == null ? samples
                : finite(samples.normalized(normalization(d.normalize(), samples, where + ".normalize")),
                        where + ".normalize");
    }

    /**
     * A path of the data section, relative to {@code base}.
     *
     * @throws GraftInputException "WHERE: missing" when the key is not given
     */
    static Path path(Path base, String value, String where) {
        if (value == null) {
            throw new GraftInputException(where + ": missing");
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    /**
     * The test set {@code data.test_fraction} holds out of {@code pool} (stratified by class; for a
     * regression, one class, a seeded random split) and the rest.
     *
     * @throws GraftInputException if the data already has test files or the fraction is not in (0, 1)
     */
    static Examples.Split testFraction(ExperimentConfig.DataSection d, Examples pool, Examples test, String where) {
        if (test != null) {
            throw new GraftInputException(where + ".test_fraction: the data already has test files");
        }
        if (!(d.testFraction() > 0 && d.testFraction() < 1)) {
            throw new GraftInputException(where + ".test_fraction: must be between 0 and 1");
        }
        return pool.stratifiedSplit(d.testFraction(), d.splitSeed() == null ? 0 : d.splitSeed());
    }
}
