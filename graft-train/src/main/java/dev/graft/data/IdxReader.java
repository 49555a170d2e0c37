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
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST and Fashion-MNIST format), gzipped or plain: unsigned-byte images
 * ({@code idx3}) scaled to [0, 1], and unsigned-byte labels ({@code idx1}).
 */
public final class IdxReader {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;
    private static final long MAX_BYTES = 1L << 31;

    private IdxReader() {}

    /**
     * Reads an image file and its label file; images become {@code [1, rows, cols]} samples.
     *
     * @param classes the number of classes; 0 means one more than the largest label
     * @throws DataException if a file is missing, malformed, or the two do not agree
     */
    public static Examples read(Path images, Path labels, int classes) {
        int[] lab = readLabels(labels);
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != IMAGES) {
                throw new DataException(images + ": not an IDX image file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x803)");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols >= MAX_BYTES) {
                throw new DataException(images + ": bad dimensions " + n + "×" + rows + "×" + cols);
            }
            if (n != lab.length) {
                throw new DataException(images + ": " + n + " images but " + labels + " has " + lab.length + " labels");
            }
            byte[] raw = new byte[n * rows * cols];
            in.readFully(raw);
            if (in.read() != -1) {
                throw new DataException(images + ": bytes after the last image");
            }
            float[] f = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                f[i] = (raw[i] & 0xFF) / 255f;
            }
            int k = classes;
            for (int l : lab) {
                k = Math.max(k, classes > 0 ? classes : l + 1);
                if (classes > 0 && l >= classes) {
                    throw new DataException(labels + ": label " + l + " but only " + classes + " classes");
                }
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

    private static int[] readLabels(Path labels) {
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != LABELS) {
                throw new DataException(labels + ": not an IDX label file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x801)");
            }
            int n = in.readInt();
            if (n < 0 || n >= MAX_BYTES) {
                throw new DataException(labels + ": bad label count " + n);
            }
            byte[] raw = new byte[n];
            in.readFully(raw);
            if (in.read() != -1) {
                throw new DataException(labels + ": bytes after the last label");
            }
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
