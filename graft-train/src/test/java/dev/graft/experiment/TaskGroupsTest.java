package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data.groups}: each sample's group from a column, its class or its file name, and the errors. */
class TaskGroupsTest {
    @TempDir
    Path dir;

    private void csv() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,site,label\n0,north,ant\n1,south,bee\n2,north,cat\n"
                + "0,south,ant\n1,north,bee\n2,south,cat\n");
        Files.writeString(dir.resolve("test.csv"), "x,site,label\n0,east,ant\n2,north,cat\n");
    }

    /** The same files without the site column. */
    private void plainCsv() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x,label\n0,ant\n1,bee\n2,cat\n0,ant\n1,bee\n2,cat\n");
        Files.writeString(dir.resolve("test.csv"), "x,label\n0,ant\n2,cat\n");
    }

    private static final String CSV = "data: {format: csv, train_images: train.csv, test_images: test.csv, ";

    private GraftInputException refused(String yaml) {
        return assertThrows(GraftInputException.class, () -> TaskDataTest.load(dir, yaml));
    }

    @Test
    void aGroupColumnGivesEachSampleItsGroupAndIsNotAFeature() throws IOException {
        csv();
        TaskData d = TaskDataTest.load(dir, CSV + "groups: {column: site}}");
        // one feature: the site column is neither a feature nor the label
        assertEquals(1, d.pool().sampleSize());
        // the groups of both files, sorted: a group only the test set has is still named
        assertEquals(List.of("east", "north", "south"), d.pool().groups().names());
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 2}, d.pool().groups().of());
        assertArrayEquals(new int[] {0, 1}, d.test().groups().of());
        // a split carries the groups along
        assertEquals(3, d.pool().kShot(1, 0).first().groups().of().length);
    }

    @Test
    void byClassPutsEverySampleInItsClasssGroup() throws IOException {
        plainCsv();
        TaskData d = TaskDataTest.load(dir, CSV + "groups: {by_class: {insects: [ant, bee], other: [cat]}}}");
        assertEquals(List.of("insects", "other"), d.pool().groups().names());
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1}, d.pool().groups().of());
        assertArrayEquals(new int[] {0, 1}, d.test().groups().of());
        // a test split taken from the pool keeps them
        TaskData split = TaskDataTest.load(dir, "data: {format: csv, train_images: train.csv, test_fraction: 0.5, "
                + "groups: {by_class: {insects: [ant, bee], other: [cat]}}}");
        for (int i = 0; i < split.test().size(); i++) {
            assertEquals(split.test().labels()[i] == 2 ? 1 : 0, split.test().groups().of()[i]);
        }
        assertNull(TaskDataTest.load(dir, CSV.substring(0, CSV.length() - 2) + "}").pool().groups());
    }

    @Test
    void byFileMatchesEachImagesNameAgainstTheGlobs() throws IOException {
        for (String c : List.of("a", "b")) {
            Files.createDirectories(dir.resolve("train/" + c));
            for (String f : List.of("day1.png", "night1.png")) {
                ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("train/" + c + "/" + f).toFile());
            }
        }
        String base = "data: {format: folder, train_images: train, image: {width: 2, height: 2}, ";
        TaskData d = TaskDataTest.load(dir, base + "groups: {by_file: {day: \"day*\", night: \"night*.png\"}}}");
        assertEquals(List.of("day", "night"), d.pool().groups().names());
        assertArrayEquals(new int[] {0, 1, 0, 1}, d.pool().groups().of());
        assertTrue(refused(base + "groups: {by_file: {day: \"day*\"}}}").getMessage()
                .matches("exp\\.yaml: data\\.groups\\.by_file: .*train: file night1\\.png matches no group's glob.*"));
        assertTrue(refused(base + "groups: {by_file: {all: \"*\", night: \"night*\"}}}").getMessage()
                .contains("file night1.png matches both 'all' and 'night'"));
    }

    @Test
    void badGroupsAreRefusedInOneLineNamingTheKey() throws IOException {
        plainCsv();
        assertEquals("exp.yaml: data.groups.by_class.insects: 'wasp' is not a class of the task (classes: ant, bee, cat)",
                refused(CSV + "groups: {by_class: {insects: [ant, wasp], other: [cat]}}}").getMessage());
        assertEquals("exp.yaml: data.groups.by_class.other: class 'ant' is already in group 'insects'",
                refused(CSV + "groups: {by_class: {insects: [ant, bee], other: [ant, cat]}}}").getMessage());
        assertEquals("exp.yaml: data.groups.by_class: class 'cat' is in no group (every class must be in one)",
                refused(CSV + "groups: {by_class: {insects: [ant, bee]}}}").getMessage());
        csv();
        assertEquals(dir.resolve("train.csv") + ": no group column 'region'",
                refused(CSV + "groups: {column: region}}").getMessage());
        assertEquals(dir.resolve("train.csv") + ": the group column 'label' is the label column",
                refused(CSV + "groups: {column: label}}").getMessage());
        assertEquals("exp.yaml: data.groups: give exactly one of column, by_class, by_file",
                refused(CSV + "groups: {column: site, by_class: {all: [ant, bee, cat]}}}").getMessage());
        assertEquals("exp.yaml: data.groups: a group name is empty",
                refused(CSV + "groups: {by_class: {'': [ant], rest: [bee, cat]}}}").getMessage());
        assertEquals("exp.yaml: data.groups.by_file: file-name globs need format folder, not csv",
                refused(CSV + "groups: {by_file: {all: \"*\"}}}").getMessage());
        assertEquals("exp.yaml: data.groups.column: a group column needs format csv, text_csv, text_jsonl, not idx",
                refused("data: {train_images: x, train_labels: y, groups: {column: site}}").getMessage());
        Files.writeString(dir.resolve("test.csv"), "x,site,label\n0,,ant\n");
        assertEquals(dir.resolve("test.csv") + ": line 2, column 2: the group is empty",
                refused(CSV + "groups: {column: site}}").getMessage());
    }
}
