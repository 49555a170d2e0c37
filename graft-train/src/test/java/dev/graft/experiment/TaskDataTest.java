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

    /** Plain IDX files {@code PREFIX-i} (1×1 images) and {@code PREFIX-l}. */
    private static void idx(Path prefix, byte[] labels) throws IOException {
        Files.write(Path.of(prefix + "-l"), ByteBuffer.allocate(8 + labels.length).putInt(0x801).putInt(labels.length)
                .put(labels).array());
        Files.write(Path.of(prefix + "-i"), ByteBuffer.allocate(16 + labels.length).putInt(0x803)
                .putInt(labels.length).putInt(1).putInt(1).put(labels).array());
    }
}
