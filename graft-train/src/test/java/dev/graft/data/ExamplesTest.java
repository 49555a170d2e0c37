package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
    static final Path DATA = Path.of("..", "data", "fashion");

    @TempDir
    Path dir;

    static Examples pool() {
        return IdxReader.read(DATA.resolve("target-pool-images-idx3-ubyte.gz"),
                DATA.resolve("target-pool-labels-idx1-ubyte.gz"), 0);
    }

    @Test
    void shippedPoolHasFiftyImagesOfEachTargetClass() {
        Examples e = pool();
        assertEquals(250, e.size());
        assertEquals(new Dims(1, 28, 28), e.sampleShape());
        assertArrayEquals(new int[] {0, 0, 50, 0, 50, 0, 50, 50, 0, 50}, e.classCounts());
        for (float v : e.features()) {
            assertTrue(v >= 0 && v <= 1);
        }
        Examples t = e.selectClasses(new int[] {2, 4, 6, 7, 9});
        assertEquals(5, t.classes());
        assertArrayEquals(new int[] {50, 50, 50, 50, 50}, t.classCounts());
        int[] keep = {2, 4, 6, 7, 9};
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.labels()[i], keep[t.labels()[i]], "relabelled by position, order kept");
        }
    }

    @Test
    void kShotIsStratifiedDisjointAndSeeded() {
        Examples t = pool().selectClasses(new int[] {2, 4, 6, 7, 9});
        Examples.Split a = t.kShot(5, 1);
        assertArrayEquals(new int[] {5, 5, 5, 5, 5}, a.first().classCounts());
        assertEquals(225, a.rest().size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < a.first().size(); i++) {
            seen.add(java.util.Arrays.toString(a.first().sample(i)));
        }
        for (int i = 0; i < a.rest().size(); i++) {
            assertTrue(!seen.contains(java.util.Arrays.toString(a.rest().sample(i))), "disjoint");
        }
        assertArrayEquals(a.first().features(), t.kShot(5, 1).first().features(), "same seed, same shots");
        assertTrue(!java.util.Arrays.equals(a.first().features(), t.kShot(5, 2).first().features()));
        assertThrows(DataException.class, () -> t.kShot(51, 0));
    }

    @Test
    void splitsCapsAndNormalization() {
        Examples t = pool().selectClasses(new int[] {2, 4, 6, 7, 9});
        Examples.Split s = t.stratifiedSplit(0.2, 3);
        assertArrayEquals(new int[] {10, 10, 10, 10, 10}, s.first().classCounts());
        Examples capped = t.capPerClass(new int[] {50, 20, 5, 50, 1});
        assertArrayEquals(new int[] {50, 20, 5, 50, 1}, capped.classCounts());
        Examples.Normalization n = t.channelStats();
        Examples z = t.normalized(n);
        Examples.Normalization after = z.channelStats();
        assertEquals(0, after.mean()[0], 1e-4);
        assertEquals(1, after.std()[0], 1e-3);
    }

    private static void gz(Path p, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
    }

    @Test
    void malformedIdxFilesAreRefusedByName() throws IOException {
        Path images = dir.resolve("i.gz");
        Path labels = dir.resolve("l.gz");
        gz(labels, ByteBuffer.allocate(10).putInt(0x801).putInt(2).put((byte) 1).put((byte) 0).array());
        gz(images, ByteBuffer.allocate(16 + 8).putInt(0x803).putInt(2).putInt(2).putInt(2).array());
        Examples ok = IdxReader.read(images, labels, 0);
        assertEquals(2, ok.size());
        Path plain = dir.resolve("plain");
        Files.write(plain, ByteBuffer.allocate(16 + 8).putInt(0x803).putInt(2).putInt(2).putInt(2).array());
        assertEquals(2, IdxReader.read(plain, labels, 0).size(), "plain (not gzipped) files read too");
        Path truncated = dir.resolve("t.gz");
        gz(truncated, ByteBuffer.allocate(16 + 5).putInt(0x803).putInt(2).putInt(2).putInt(2).array());
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(truncated, labels, 0));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated"));
        Path wrongCount = dir.resolve("w.gz");
        gz(wrongCount, ByteBuffer.allocate(16 + 12).putInt(0x803).putInt(3).putInt(2).putInt(2).array());
        assertTrue(assertThrows(DataException.class, () -> IdxReader.read(wrongCount, labels, 0)).getMessage()
                .contains("3 images but"));
        assertTrue(assertThrows(DataException.class, () -> IdxReader.read(labels, labels, 0)).getMessage()
                .contains("not an IDX image file"));
        assertTrue(assertThrows(DataException.class, () -> IdxReader.read(dir.resolve("none"), labels, 0))
                .getMessage().contains("no such file"));
    }

    @Test
    void csvWithHeaderNamedLabelAndStringClasses() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,kind,b\n1.5,cat,2\n\"3\",dog,4\n5,cat,-6\n");
        CsvReader.Result r = CsvReader.read(f, "kind", true);
        assertEquals(java.util.List.of("cat", "dog"), r.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, r.examples().labels());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4, 5, -6}, r.examples().features());
        Files.writeString(f, "1,2,0\n3,x,1\n");
        DataException e = assertThrows(DataException.class, () -> CsvReader.read(f, null, false));
        assertTrue(e.getMessage().contains("line 2, column 2: 'x' is not a number"), e.getMessage());
    }

    @Test
    void imageFolderResizesAndConvertsToGray() throws IOException {
        for (String cls : new String[] {"b_white", "a_black"}) {
            Files.createDirectories(dir.resolve("imgs").resolve(cls));
            BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
            int rgb = cls.startsWith("b") ? 0xFFFFFF : 0x000000;
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 8; x++) {
                    img.setRGB(x, y, rgb);
                }
            }
            ImageIO.write(img, "png", dir.resolve("imgs").resolve(cls).resolve("x.png").toFile());
        }
        ImageFolderReader.Result r = ImageFolderReader.read(dir.resolve("imgs"), 4, 4, true);
        assertEquals(java.util.List.of("a_black", "b_white"), r.classNames());
        assertEquals(new Dims(1, 4, 4), r.examples().sampleShape());
        assertEquals(0f, r.examples().sample(0)[5], 1e-6f);
        assertEquals(1f, r.examples().sample(1)[5], 1e-3f);
        ImageFolderReader.Result rgb = ImageFolderReader.read(dir.resolve("imgs"), 4, 4, false);
        assertEquals(new Dims(3, 4, 4), rgb.examples().sampleShape());
    }
}
