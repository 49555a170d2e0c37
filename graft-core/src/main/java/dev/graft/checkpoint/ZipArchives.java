package dev.graft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What the zip-based checkpoint readers (npz, TorchScript) share: opening, exact reads, byte order. */
final class ZipArchives {
    private ZipArchives() {}

    /**
     * Opens a zip archive.
     *
     * @param kind names the format in the error, e.g. {@code .npz}
     * @throws CheckpointException if the file is missing or not a zip archive
     */
    static ZipFile open(Path path, String kind) {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException(path, "no such file");
        }
        try {
            return new ZipFile(path.toFile());
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(path, "not a valid " + kind + " (zip) archive: " + e.getMessage());
        }
    }

    /**
     * Reads {@code length} bytes after the first {@code skip} of an entry into one array of its
     * final size ({@code readNBytes(n)} would hold the data twice while copying).
     *
     * @throws CheckpointException naming {@code label} if the entry is unreadable or shorter
     */
    static byte[] read(ZipFile zip, ZipEntry entry, long skip, long length, String label) {
        byte[] data = new byte[Math.toIntExact(length)];
        int got;
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(skip);
            got = in.readNBytes(data, 0, data.length);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(label, "cannot read: " + e.getMessage(), e);
        }
        if (got != length) {
            throw new CheckpointException(label, "data is truncated (" + got + " of " + length + " bytes)");
        }
        return data;
    }

    /** Reverses the byte order of each {@code width}-byte element in place. */
    static void swapBytes(byte[] data, int width) {
        for (int i = 0; i + width <= data.length; i += width) {
            for (int a = i, b = i + width - 1; a < b; a++, b--) {
                byte t = data[a];
                data[a] = data[b];
                data[b] = t;
            }
        }
    }

    /** Closes a read-only archive; there is nothing to lose if that fails. */
    static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // read-only: nothing was written that could be lost
        }
    }
}
