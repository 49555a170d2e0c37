package dev.graft.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files atomically: the content goes to a temporary file beside the target, is synced,
 * and is renamed over the target only when complete. A failed write leaves no file behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Produces a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @throws IOException if writing or renaming fails; the target is then untouched
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new java.nio.file.FileSystemException(target.toString(), null, "is a folder; give a file name");
        }
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        } catch (java.nio.file.FileSystemException e) {
            // name the user's path, not the temporary file beside it
            throw new java.nio.file.FileSystemException(target.toString(), null, "cannot create a file in " + dir
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
        }
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(new java.io.BufferedOutputStream(out, 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                ch.force(true);
            }
            readableByAll(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Temporary files are created private (rw-------); results, checkpoints and reports are meant
     * to be shared, so they get the usual rw-r--r-- (or what the owner already had on Windows).
     */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Deletes the temporary files that {@link #write} left beside {@code target} when its process
     * was killed mid-write ({@code .NAME.<digits>.tmp}, Graft's own naming; nothing else is
     * touched). Call it only while owning the output exclusively (for example under a run lock):
     * a write in progress in another process would lose its temporary file.
     *
     * @return how many were deleted
     * @throws IOException if the folder cannot be listed or a temporary file cannot be deleted
     */
    public static int removeStaleTemporaries(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote("." + abs.getFileName() + ".") + "-?\\d+\\.tmp");
        int deleted = 0;
        try (var files = Files.newDirectoryStream(dir, f -> ours.matcher(f.getFileName().toString()).matches()
                && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                deleted++;
            }
        }
        return deleted;
    }

    /** Writes a string as UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        });
    }
}
