package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that used to be read into wrong numbers or a heap exhaustion (issue 12): non-finite
 * cells, rows that disagree with the header, and sizes claimed by a header or a line that the
 * file does not back. Each is refused with one line that names the file and the problem.
 */
class HostileDataTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "1e39"})
    void nonFiniteCellsAreRefusedByLineAndColumn(String cell) throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,b,label\n1,2,x\n3," + cell + ",y\n");
        DataException e = assertThrows(DataException.class, () -> CsvReader.read(f, null, true));
        assertTrue(e.getMessage().startsWith(f + ": line 3, column 2: '" + cell + "' is not a"), e.getMessage());
    }

    @Test
    void rowsLongerOrShorterThanTheHeaderAreRefused() throws IOException {
        Path f = dir.resolve("d.csv");
        // every row agrees with the others but not with the header: once trained on silently
        Files.writeString(f, "a,b,label\n1,2,3,4,x\n5,6,7,8,y\n");
        assertEquals(f + ": line 2 has 5 fields, the header names 3",
                assertThrows(DataException.class, () -> CsvReader.read(f, null, true)).getMessage());
        Files.writeString(f, "a,b,label\n1,2,x\n5,y\n");
        assertEquals(f + ": line 3 has 2 fields, the header names 3",
                assertThrows(DataException.class, () -> CsvReader.read(f, null, true)).getMessage());
        Files.writeString(f, "1,2,x\n\n5,6,7,y\n");
        assertEquals(f + ": line 3 has 4 fields, line 1 has 3",
                assertThrows(DataException.class, () -> CsvReader.read(f, null, false)).getMessage());
    }

    /** Before: the mark stayed in the first column's name ("\uFEFFa"), and no column was named 'a'. */
    @Test
    void aByteOrderMarkBeforeTheHeaderIsNotPartOfTheFirstName() throws IOException {
        Path f = dir.resolve("excel.csv");
        Files.write(f, ("\uFEFFa,b,label\n1,2,x\n3,4,y\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CsvReader.Result r = CsvReader.read(f, "label", true);
        assertEquals(List.of("a", "b", "label"), r.columns());
        assertEquals(2, r.examples().size());
    }

    /** Before: "cannot read: Input length = 1" and "cannot read: Is a directory". */
    @Test
    void aBinaryFileOrAFolderIsNamedAsSuch() throws IOException {
        Path f = dir.resolve("b.csv");
        Files.write(f, new byte[] {'a', ',', 'b', '\n', (byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
        assertEquals(f + ": not UTF-8 text (is it a binary file?)",
                assertThrows(DataException.class, () -> CsvReader.read(f, null, true)).getMessage());
        assertEquals(dir + ": cannot read: it is a folder, not a CSV file",
                assertThrows(DataException.class, () -> CsvReader.read(dir, null, true)).getMessage());
    }

    @Test
    void aLineBeyondTheLimitFailsBeforeItIsHeld() throws IOException {
        Path f = dir.resolve("long.csv");
        int chars = DataLimits.DEFAULT.maxLineChars() + 10;
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write("a,label\n");
            for (int i = 0; i < chars; i++) {
                w.write('1');
            }
            w.write(",x\n");
        }
        DataException e = assertThrows(DataException.class, () -> CsvReader.read(f, null, true));
        assertTrue(e.getMessage().startsWith(f + ": too large (line 2 is longer than"), e.getMessage());
        Files.writeString(f, "1,".repeat(DataLimits.DEFAULT.maxFields()) + "x\n");
        e = assertThrows(DataException.class, () -> CsvReader.read(f, null, false));
        assertTrue(e.getMessage().startsWith(f + ": too large (line 1 has more than 100000 fields"), e.getMessage());
        DataLimits small = new DataLimits(1, 1 << 20, 1000, 100);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            rows.append("1,".repeat(999)).append("x\n");
        }
        Files.writeString(f, rows);
        e = assertThrows(DataException.class, () -> CsvReader.read(f, null, false, null, small));
        assertTrue(e.getMessage().startsWith(f + ": too large (more than"), e.getMessage());
        assertTrue(e.getMessage().contains("the limit is 1 MB, data.limits.max_mb"), e.getMessage());
    }

    @Test
    void aLabelFileClaimingBillionsOfItemsIsRefusedBeforeAllocating() throws IOException {
        Path labels = dir.resolve("l");
        Files.write(labels, ByteBuffer.allocate(55).putInt(0x801).putInt(2_000_000_000).array());
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(labels, labels, 0));
        assertEquals(labels + ": truncated (the header claims 2000000000 labels, 2000000008 bytes, but the file has 55)",
                e.getMessage());
        Path gz = dir.resolve("l.gz");
        gz(gz, ByteBuffer.allocate(47).putInt(0x801).putInt(2_000_000_000).array());
        e = assertThrows(DataException.class, () -> IdxReader.read(gz, gz, 0));
        assertTrue(e.getMessage().startsWith(gz + ": too large (2000000000 labels, 7630 MB as floats;"),
                e.getMessage());
    }

    @Test
    void aGzipBombIsRefusedByItsClaimAndAShortStreamAtItsRealEnd() throws IOException {
        int n = 2_700_000;
        Path labels = dir.resolve("l.gz");
        gz(labels, ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n).array());
        Path images = dir.resolve("i.gz");
        // 2.1 GB of pixels claimed, a few bytes stored
        gz(images, ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 0));
        assertTrue(e.getMessage().startsWith(images + ": too large (2700000 images of 28×28"), e.getMessage());
        // a claim within the limit: memory follows what decompresses, and the stream's end is named
        Path few = dir.resolve("l2.gz");
        gz(few, ByteBuffer.allocate(8 + 1000).putInt(0x801).putInt(1000).array());
        gz(images, ByteBuffer.allocate(16 + 5).putInt(0x803).putInt(1000).putInt(100).putInt(100).array());
        e = assertThrows(DataException.class, () -> IdxReader.read(images, few, 0));
        assertEquals(images + ": truncated (the header claims 1000 images of 100×100, but the data end after 5 of"
                + " 10000000 bytes)", e.getMessage());
    }

    @Test
    void anImageWhoseHeaderClaimsTooManyPixelsIsNotDecoded() throws IOException {
        Path cls = dir.resolve("imgs").resolve("a");
        Files.createDirectories(cls);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", png);
        byte[] b = png.toByteArray();
        // IHDR's width and height follow the 8-byte signature, the chunk length and its type
        ByteBuffer.wrap(b).putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
        Path f = cls.resolve("x.png");
        Files.write(f, b);
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderReader.read(dir.resolve("imgs"), 4, 4, false));
        assertEquals(f + ": too large (100000×100000 pixels; the limit is 40000000, data.limits.max_image_pixels)",
                e.getMessage());
    }

    private static void gz(Path p, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
    }
}
