package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST and Fashion-MNIST format), gzipped or plain: unsigned-byte images
 * ({@code idx3}) scaled to [0, 1], and unsigned-byte labels ({@code idx1}). The sizes a header
 * claims are checked before anything is allocated: against {@link DataLimits}, against the file's
 * length for a plain file, and, for a gzipped one, against what really decompresses (read in
 * growing chunks, so a small file that claims billions of values fails at its real end).
 * Stateless and thread-safe.
 */
public final class IdxReader {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;
    private static final int HEADER_IMAGES = 16;
    private static final int HEADER_LABELS = 8;

    private IdxReader() {}

    /**
     * Reads an image file and its label file with the default limits.
     *
     * @see #read(Path, Path, int, DataLimits)
     */
    public static Examples read(Path images, Path labels, int classes) {
        return read(images, labels, classes, DataLimits.DEFAULT);
    }

    /**
     * Reads an image file and its label file; images become {@code [1, rows, cols]} samples.
     *
     * @param classes the number of classes (fixed by training); a larger label is refused. 0 means
     *     one more than the largest label
     * @throws DataException if a file is missing, malformed, too large, truncated, the two do not
     *     agree, or a label is not below {@code classes}
     */
    public static Examples read(Path images, Path labels, int classes, DataLimits limits) {
        int[] lab = readLabels(labels, limits);
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != IMAGES) {
                throw new DataException(images + ": not an IDX image file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x803)");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || rows <= 0 || cols <= 0) {
                throw new DataException(images + ": bad dimensions " + n + "×" + rows + "×" + cols);
            }
            if (n != lab.length) {
                throw new DataException(images + ": " + n + " images but " + labels + " has " + lab.length + " labels");
            }
            byte[] raw = body(in, images, HEADER_IMAGES, (long) n * rows * cols, n + " images of " + rows + "×" + cols,
                    limits);
            float[] f = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                f[i] = (raw[i] & 0xFF) / 255f;
            }
            int k = classes;
            for (int i = 0; i < lab.length; i++) {
                if (classes > 0 && lab[i] >= classes) {
                    throw new DataException(labels + ": item " + i + ": label " + lab[i] + " is not a training class (0.."
                            + (classes - 1) + ")");
                }
                k = Math.max(k, lab[i] + 1);
            }
            return new Examples(new Dims(1, rows, cols), f, lab, Math.max(k, 1));
        } catch (EOFException e) {
            throw new DataException(images + ": truncated");
        } catch (NoSuchFileException e) {
            throw new DataException(images + ": no such file");
        } catch (IOException e) {
            throw new DataException(images + ": cannot read: " + e.getMessage());
        }
    }

    private static int[] readLabels(Path labels, DataLimits limits) {
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != LABELS) {
                throw new DataException(labels + ": not an IDX label file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x801)");
            }
            int n = in.readInt();
            if (n < 0) {
                throw new DataException(labels + ": bad label count " + n);
            }
            // labels are held as ints beside the float images: count them at the same rate
            byte[] raw = body(in, labels, HEADER_LABELS, n, n + " labels", limits);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i] & 0xFF;
            }
            return out;
        } catch (EOFException e) {
            throw new DataException(labels + ": truncated");
        } catch (NoSuchFileException e) {
            throw new DataException(labels + ": no such file");
        } catch (IOException e) {
            throw new DataException(labels + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Exactly {@code count} bytes after the header and nothing more. A plain file's length is
     * checked first, then the claim against the limits; a compressed stream is read in chunks that
     * grow with what arrives, so memory follows the real data, not the claim.
     */
    private static byte[] body(DataInputStream in, Path file, int header, long count, String claim,
            DataLimits limits) throws IOException {
        if (!gzipped(file)) {
            long size = Files.size(file);
            if (size < header + count) {
                throw new DataException(file + ": truncated (the header claims " + claim + ", " + (header + count)
                        + " bytes, but the file has " + size + ")");
            }
        }
        limits.checkValues(file, claim, count);
        byte[] buf = new byte[(int) Math.min(count, 1 << 20)];
        int have = 0;
        while (have < count) {
            if (have == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(count, (long) buf.length * 2));
            }
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                throw new DataException(file + ": truncated (the header claims " + claim + ", but the data end after "
                        + have + " of " + count + " bytes)");
            }
            have += r;
        }
        if (in.read() != -1) {
            throw new DataException(file + ": bytes after the last " + (header == HEADER_IMAGES ? "image" : "label"));
        }
        return buf;
    }

    private static boolean gzipped(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }
}
