package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.metrics.ClassificationMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a task's data (issue 12). Labels of every split map onto the one class list training
 * fixes, by name: a test file that holds only some classes must not be renumbered from its own
 * labels (a perfect model scored 0.50 because the test's cats were counted as bees). Values that
 * would reach training as NaN are refused at load, with the file or key that holds them.
 */
class TaskDataTest {
    @TempDir
    Path dir;

    static TaskData load(Path dir, String yaml) {
        ExperimentConfig c = ExperimentLoader.parse("exp.yaml", yaml);
        return TaskData.load(c.data(), dir, "exp.yaml: data");
    }

    /**
     * A predictor that is right by construction: every sample's features hold its class's
     * position in the training class list (CSV), or its brightness does (folder).
     */
    static ClassificationMetrics perfect(Examples test, int classes, float scale) {
        int[] pred = new int[test.size()];
        for (int i = 0; i < pred.length; i++) {
            pred[i] = Math.round(test.sample(i)[0] * scale);
        }
        return ClassificationMetrics.of(test.labels(), pred, classes, Double.NaN);
    }

    @Test
    void aCsvTestFileWithoutSomeClassesScoresAPerfectModelAtOne() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n2,cat\n0,ant\n1,bee\n2,cat\n");
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,ant\n2,cat\n2,cat\n");
        TaskData d = load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv}");
        assertEquals(List.of("ant", "bee", "cat"), d.classNames());
        assertEquals(3, d.test().classes());
        ClassificationMetrics m = perfect(d.test(), 3, 1);
        assertEquals(1.0, m.accuracy());
        assertArrayEquals(new int[][] {{1, 0, 0}, {0, 0, 0}, {0, 0, 2}}, m.confusion());
    }

    @Test
    void aTestFolderWithoutSomeClassesScoresAPerfectModelAtOne() throws IOException {
        String[] classes = {"ant", "bee", "cat"};
        for (int c = 0; c < 3; c++) {
            image(dir.resolve("train").resolve(classes[c]), c);
            if (c != 1) {
                image(dir.resolve("test").resolve(classes[c]), c);
            }
        }
        TaskData d = load(dir, "data: {format: folder, train_images: train, test_images: test,"
                + " image: {width: 2, height: 2, grayscale: true}}");
        assertEquals(List.of("ant", "bee", "cat"), d.classNames());
        ClassificationMetrics m = perfect(d.test(), 3, 2);
        assertEquals(1.0, m.accuracy());
        assertArrayEquals(new int[][] {{1, 0, 0}, {0, 0, 0}, {0, 0, 1}}, m.confusion());
    }

    /** A 2×2 gray image of brightness c/2 in {@code folder}. */
    private static void image(Path folder, int c) throws IOException {
        Files.createDirectories(folder);
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        int v = Math.round(c * 255 / 2f);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ImageIO.write(img, "png", folder.resolve("x.png").toFile());
    }

    @Test
    void classNamesThatNameEveryLabelFixTheClassListForEverySplit() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n1,bee\n2,cat\n");
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,ant\n2,cat\n");
        TaskData d = load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv,"
                + " class_names: [ant, bee, cat]}");
        assertEquals(List.of("ant", "bee", "cat"), d.classNames());
        assertArrayEquals(new int[] {1, 2}, d.pool().labels());
        assertArrayEquals(new int[] {0, 2}, d.test().labels());
    }

    @Test
    void aTestLabelTrainingNeverSawIsRefusedWithItsFileAndLine() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n");
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,ant\n1,dog\n");
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv}"));
        assertEquals(dir.resolve("test.csv") + ": line 3: label 'dog' is not a training class (ant, bee)",
                e.getMessage());
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,0\n1,7\n");
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,0\n1,1\n");
        e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv}"));
        assertTrue(e.getMessage().contains("test.csv: line 3: label '7' is not a training class"), e.getMessage());
    }

    @Test
    void aTestFolderOfAClassTrainingNeverSawIsRefused() throws IOException {
        image(dir.resolve("train").resolve("ant"), 0);
        image(dir.resolve("train").resolve("bee"), 1);
        image(dir.resolve("test").resolve("dog"), 1);
        GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir,
                "data: {format: folder, train_images: train, test_images: test, image: {width: 2, height: 2}}"));
        assertEquals(dir.resolve("test").resolve("dog") + ": class 'dog' is not a training class (ant, bee)",
                e.getMessage());
    }

    @Test
    void anIdxTestLabelBeyondTheTrainingClassesIsRefused() throws IOException {
        idx(dir.resolve("train"), new byte[] {0, 1, 2});
        idx(dir.resolve("test"), new byte[] {0, 5});
        GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir, "data: {train_images: train-i,"
                + " train_labels: train-l, test_images: test-i, test_labels: test-l}"));
        assertEquals(dir.resolve("test-l") + ": item 1: label 5 is not a training class (0..2)", e.getMessage());
        idx(dir.resolve("test"), new byte[] {0, 2});
        TaskData d = load(dir, "data: {train_images: train-i, train_labels: train-l, test_images: test-i,"
                + " test_labels: test-l, classes: [2, 1, 0]}");
        assertArrayEquals(new int[] {2, 0}, d.test().labels(), "a kept class may be absent from the test set");
    }

    @Test
    void aNonFiniteTestCellIsRefusedNotReportedAsANanLoss() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n");
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,ant\nNaN,bee\n");
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv}"));
        assertEquals(dir.resolve("test.csv") + ": line 3, column 1: 'NaN' is not a finite number", e.getMessage());
    }

    @Test
    void aStdThatIsNotPositiveIsRefusedByKey() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n");
        for (String std : new String[] {"0", "-1", "1e400"}) {
            GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir,
                    "data: {format: csv, train_images: train.csv, normalize: {mean: [0], std: [" + std + "]}}"));
            assertTrue(e.getMessage().startsWith("exp.yaml: data.normalize.std[0]: must be a positive finite number"),
                    e.getMessage());
        }
        GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir,
                "data: {format: csv, train_images: train.csv, normalize: {mean: [0], std: [1e-44]}}"));
        assertEquals("exp.yaml: data.normalize: sample 1 becomes Infinity when normalized; is std too small?",
                e.getMessage());
    }

    /** Before: auto won and the given constants were ignored without a word. */
    @Test
    void autoAndConstantsTogetherAreRefused() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n");
        GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir,
                "data: {format: csv, train_images: train.csv, normalize: {auto: true, mean: [0], std: [2]}}"));
        assertEquals("exp.yaml: data.normalize: give either auto: true or mean and std, not both", e.getMessage());
    }

    @Test
    void aTestFileWhoseColumnsOrShapeDifferFromTrainingIsRefused() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "a,b,label\n0,1,ant\n1,0,bee\n");
        Files.writeString(dir.resolve("test.csv"), "b,a,label\n1,0,ant\n");
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv}"));
        assertEquals(dir.resolve("test.csv") + ": line 1: the columns (b, a, label) differ from the training file's"
                + " (a, b, label)", e.getMessage());
        idx(dir.resolve("train"), new byte[] {0, 1});
        Files.write(dir.resolve("test-l"), ByteBuffer.allocate(9).putInt(0x801).putInt(1).put((byte) 0).array());
        Files.write(dir.resolve("test-i"), ByteBuffer.allocate(20).putInt(0x803).putInt(1).putInt(2).putInt(2).array());
        e = assertThrows(GraftInputException.class, () -> load(dir, "data: {train_images: train-i,"
                + " train_labels: train-l, test_images: test-i, test_labels: test-l}"));
        assertEquals(dir.resolve("test-i") + ": samples of shape [1, 2, 2], but the training pool's are [1, 1, 1]",
                e.getMessage());
    }

    /**
     * Issue 15: {@code auto} on a CSV took one mean and std over every column, so a column in the
     * thousands (wine's proline) left the others near a constant; an MLP lost 28 points of accuracy.
     * Each column now gets its own statistics, computed on the training pool and never the test set.
     */
    @Test
    void autoNormalizationOfACsvIsPerFeatureFromTheTrainingPool() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "small,big,label\n0.1,1000,ant\n0.3,3000,bee\n0.2,1400,ant\n"
                + "0.6,2600,bee\n");
        Files.writeString(dir.resolve("test.csv"), "small,big,label\n9,9000,ant\n");
        TaskData d = load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv,"
                + " normalize: {auto: true}}");
        double[][] cols = {{0.1, 0.3, 0.2, 0.6}, {1000, 3000, 1400, 2600}};
        for (int k = 0; k < 2; k++) {
            double mean = java.util.Arrays.stream(cols[k]).average().orElseThrow();
            double var = java.util.Arrays.stream(cols[k]).map(v -> (v - mean) * (v - mean)).sum() / 4;
            assertEquals(mean, d.normalization().mean()[k], 1e-5 * mean, "column " + k + " mean");
            assertEquals(Math.sqrt(var), d.normalization().std()[k], 1e-5 * Math.sqrt(var), "column " + k + " std");
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 4; i++) {
                double v = d.pool().sample(i)[k];
                sum += v;
                sq += v * v;
            }
            assertEquals(0, sum / 4, 1e-5, "standardized column " + k + " has mean 0");
            assertEquals(1, Math.sqrt(sq / 4), 1e-5, "standardized column " + k + " has sd 1");
            assertEquals((new double[] {9, 9000}[k] - mean) / Math.sqrt(var), d.test().sample(0)[k], 1e-3,
                    "the test set is normalized with the training pool's statistics");
        }
        assertTrue(d.report().normalization().startsWith("per feature (2 features), computed on the 4 training-pool"
                + " samples (auto; never the test set): mean [0.3000, 2000], std [0.1871, 824.6]"),
                d.report().normalization());
        // a constant column keeps std 1 (as scikit-learn's StandardScaler): a test value that differs stays finite
        Files.writeString(dir.resolve("train.csv"), "small,big,label\n5,1,ant\n5,2,bee\n");
        d = load(dir, "data: {format: csv, train_images: train.csv, test_images: test.csv, normalize: {auto: true}}");
        assertEquals(1f, d.normalization().std()[0]);
        assertEquals(4f, d.test().sample(0)[0]);
    }

    @Test
    void fixedConstantsMustBeOneOrOnePerFeatureOrChannel() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "a,b,c,label\n0,1,2,ant\n1,2,3,bee\n");
        GraftInputException e = assertThrows(GraftInputException.class, () -> load(dir,
                "data: {format: csv, train_images: train.csv, normalize: {mean: [0, 0], std: [1, 1]}}"));
        assertEquals("exp.yaml: data.normalize.mean: 2 values, but a sample has 3 features (give 1, or one per"
                + " feature)", e.getMessage());
        TaskData d = load(dir, "data: {format: csv, train_images: train.csv, normalize: {mean: [0, 1, 2],"
                + " std: [1, 1, 2]}}");
        assertArrayEquals(new float[] {1, 1, 0.5f}, d.pool().sample(1));
        assertEquals("per feature (3 features), as given in data.normalize: mean [0.000, 1.000, 2.000],"
                + " std [1.000, 1.000, 2.000]", d.report().normalization());
    }

    /**
     * Issue 15: a {@code .ipynb_checkpoints} folder in {@code train/} was taken for a class and
     * shifted every class index after it; macOS's {@code ._x.png} files failed to decode.
     */
    @Test
    void hiddenEntriesOfAnImageFolderAreSkippedAndListed() throws IOException {
        for (String split : new String[] {"train", "test"}) {
            image(dir.resolve(split).resolve("ant"), 0);
            image(dir.resolve(split).resolve("bee"), 2);
            image(dir.resolve(split).resolve(".ipynb_checkpoints"), 1);
            Files.writeString(dir.resolve(split).resolve(".DS_Store"), "not an image");
        }
        Files.writeString(dir.resolve("train").resolve("bee").resolve("._x.png"), "AppleDouble, not a PNG");
        TaskData d = load(dir, "data: {format: folder, train_images: train, test_images: test,"
                + " image: {width: 2, height: 2, grayscale: true}}");
        assertEquals(List.of("ant", "bee"), d.classNames());
        assertArrayEquals(new int[] {0, 1}, d.pool().labels());
        assertArrayEquals(new int[] {0, 1}, d.test().labels());
        assertEquals(1.0, perfect(d.test(), 2, 0.5f).accuracy());
        assertEquals(List.of("train/.DS_Store", "train/.ipynb_checkpoints", "train/bee/._x.png", "test/.DS_Store",
                "test/.ipynb_checkpoints"), d.report().hidden());
        List<String> lines = d.report().lines();
        assertTrue(lines.contains("classes: 2 found (one per subfolder): ant, bee"), lines.toString());
        assertTrue(lines.contains("skipped 5 hidden entries: train/.DS_Store, train/.ipynb_checkpoints,"
                + " train/bee/._x.png, test/.DS_Store, test/.ipynb_checkpoints"), lines.toString());
    }

    /**
     * Issue 15: a class folder missing from {@code test/} surfaced as "class 9 has no samples",
     * naming neither the split, the folder nor the class. Every such message now names them.
     */
    @Test
    void aClassWithTooFewSamplesIsNamedWithItsSplitFolderAndKey() throws IOException {
        String[] classes = {"ant", "bee", "cat"};
        for (int c = 0; c < 3; c++) {
            image(dir.resolve("train").resolve(classes[c]), c);
            if (c != 2) {
                image(dir.resolve("test").resolve(classes[c]), c);
            }
        }
        TaskData d = load(dir, "data: {format: folder, train_images: train, test_images: test,"
                + " image: {width: 2, height: 2, grayscale: true}}");
        assertEquals(List.of("'cat' (class 2)"), d.report().missingInTest());
        assertTrue(d.report().lines().contains("note: the test set has no samples of 'cat' (class 2) (no such"
                + " subfolder, or no images in it)"), d.report().lines().toString());
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> d.testKShot(1, 0, "exp.yaml: retention.test_per_class"));
        assertEquals("exp.yaml: retention.test_per_class: class 'cat' (class 2) has 0 samples in the test data "
                + dir.resolve("test") + ", fewer than 1", e.getMessage());
        e = assertThrows(GraftInputException.class, () -> d.kShot(d.pool(), 2, 0, "exp.yaml: shots", ""));
        assertEquals("exp.yaml: shots: class 'ant' (class 0) has 1 sample in the training data " + dir.resolve("train")
                + ", fewer than 2", e.getMessage());
        // numbered labels 0 and 2 leave class 1 empty: keeping it is refused with the key and the file
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,0\n1,2\n");
        e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, classes: [0, 1]}"));
        assertEquals("exp.yaml: data.classes: class 1 has no samples in the training data " + dir.resolve("train.csv"),
                e.getMessage());
        e = assertThrows(GraftInputException.class,
                () -> load(dir, "data: {format: csv, train_images: train.csv, caps: [1, 1]}"));
        assertEquals("exp.yaml: data.caps: 2 entries for 3 classes (one per class, in class order)", e.getMessage());
    }

    /** Plain IDX files {@code PREFIX-i} (1×1 images) and {@code PREFIX-l}. */
    private static void idx(Path prefix, byte[] labels) throws IOException {
        Files.write(Path.of(prefix + "-l"), ByteBuffer.allocate(8 + labels.length).putInt(0x801).putInt(labels.length)
                .put(labels).array());
        Files.write(Path.of(prefix + "-i"), ByteBuffer.allocate(16 + labels.length).putInt(0x803)
                .putInt(labels.length).putInt(1).putInt(1).put(labels).array());
    }
}
