package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.CsvReader;
import dev.graft.data.Examples;
import dev.graft.data.IdxReader;
import dev.graft.data.ImageFolderReader;
import dev.graft.experiment.ExperimentConfig.DataSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A task's data, ready for training: the training pool and test set with classes selected,
 * relabelled, capped and normalized.
 *
 * @param pool the samples training (and validation) are drawn from
 * @param test the held-out test set, or null
 * @param classNames a name per class
 * @param normalization what was applied to both sets
 */
public record TaskData(Examples pool, Examples test, List<String> classNames, Examples.Normalization normalization) {

    /**
     * Loads a data section; relative paths are resolved against {@code base}.
     *
     * @throws GraftInputException if files are missing or the section is inconsistent
     */
    public static TaskData load(DataSection d, Path base, String where) {
        if (d == null) {
            throw new GraftInputException(where + ": missing 'data'");
        }
        String format = d.format() == null ? "idx" : d.format().toLowerCase(Locale.ROOT);
        Examples pool;
        Examples test = null;
        List<String> names;
        switch (format) {
            case "idx" -> {
                pool = IdxReader.read(path(base, d.trainImages(), where + ".train_images"),
                        path(base, d.trainLabels(), where + ".train_labels"), 0);
                if (d.testImages() != null) {
                    test = IdxReader.read(path(base, d.testImages(), where + ".test_images"),
                            path(base, d.testLabels(), where + ".test_labels"), 0);
                }
                names = null;
            }
            case "csv" -> {
                String label = d.csv() == null ? null : d.csv().label();
                boolean header = d.csv() == null || d.csv().header() == null || d.csv().header();
                CsvReader.Result r = CsvReader.read(path(base, d.trainImages(), where + ".train_images"), label, header);
                pool = r.examples();
                names = r.classNames();
                if (d.testImages() != null) {
                    test = CsvReader.read(path(base, d.testImages(), where + ".test_images"), label, header).examples();
                }
            }
            case "folder" -> {
                var img = d.image();
                int w = img == null || img.width() == null ? 32 : img.width();
                int h = img == null || img.height() == null ? 32 : img.height();
                boolean gray = img != null && Boolean.TRUE.equals(img.grayscale());
                ImageFolderReader.Result r = ImageFolderReader.read(path(base, d.trainImages(), where + ".train_images"),
                        w, h, gray);
                pool = r.examples();
                names = r.classNames();
                if (d.testImages() != null) {
                    test = ImageFolderReader.read(path(base, d.testImages(), where + ".test_images"), w, h, gray)
                            .examples();
                }
            }
            default -> throw new GraftInputException(where + ".format: unknown format '" + format + "' (idx, csv, folder)");
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
        int classes = Math.max(pool.classes(), test == null ? 0 : test.classes());
        pool = widen(pool, classes);
        test = test == null ? null : widen(test, classes);
        if (d.classes() != null) {
            int[] keep = d.classes().stream().mapToInt(Integer::intValue).toArray();
            pool = pool.selectClasses(keep);
            test = test == null ? null : test.selectClasses(keep);
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
        if (d.classNames() != null) {
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
        if (d.testFraction() != null) {
            if (test != null) {
                throw new GraftInputException(where + ".test_fraction: the data already has test files");
            }
            if (!(d.testFraction() > 0 && d.testFraction() < 1)) {
                throw new GraftInputException(where + ".test_fraction: must be between 0 and 1");
            }
            Examples.Split split = pool.stratifiedSplit(d.testFraction(), d.splitSeed() == null ? 0 : d.splitSeed());
            test = split.first();
            pool = split.rest();
        }
        if (d.caps() != null) {
            pool = pool.capPerClass(d.caps().stream().mapToInt(Integer::intValue).toArray());
        }
        Examples.Normalization norm = null;
        if (d.normalize() != null) {
            var n = d.normalize();
            if (Boolean.TRUE.equals(n.auto())) {
                norm = pool.channelStats();
            } else if (n.mean() != null && n.std() != null && n.mean().size() == n.std().size()) {
                float[] mean = new float[n.mean().size()];
                float[] std = new float[n.std().size()];
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = n.mean().get(i).floatValue();
                    std[i] = n.std().get(i).floatValue();
                }
                norm = new Examples.Normalization(mean, std);
            } else {
                throw new GraftInputException(where + ".normalize: give mean and std of equal length, or auto: true");
            }
            pool = pool.normalized(norm);
            test = test == null ? null : test.normalized(norm);
        }
        return new TaskData(pool, test, List.copyOf(names), norm);
    }

    private static Examples widen(Examples e, int classes) {
        return e.classes() == classes ? e : new Examples(e.sampleShape(), e.features(), e.labels(), classes);
    }

    private static Path path(Path base, String value, String where) {
        if (value == null) {
            throw new GraftInputException(where + ": missing");
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
}
