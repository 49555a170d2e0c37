package dev.graft.search;

import dev.graft.GraftInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per run folder: an exclusive lock on {@code FOLDER/.graft.lock}, held for the whole
 * run, with the holder's pid written inside so that a second run can say who holds it. The
 * operating system releases the lock when the holder dies, even by {@code kill -9}, so a stale
 * lock file never blocks a later run. The file itself stays (deleting it would let two runs lock
 * two different files).
 *
 * <p>Thread-safe: {@link #close} may be called more than once.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in the run folder. */
    public static final String FILE = ".graft.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run folder's lock, creating the folder if needed.
     *
     * @throws GraftInputException "FOLDER: folder in use (pid N)" if another run (in this JVM or
     *     another process) holds it
     * @throws UncheckedIOException if the lock file cannot be created
     */
    public static RunLock acquire(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            Files.createDirectories(folder);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another run in this JVM
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new GraftInputException(folder + ": folder in use (pid " + holder + "); wait for that run to "
                        + "end, or use another output folder");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            ch.force(false);
            return new RunLock(ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot lock the run folder: " + e.getMessage(), e);
        }
    }

    /** The pid the holder wrote, or "unknown" while it has not written it yet. */
    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        return s.matches("\\d+") ? s : "unknown";
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() {
        try {
            if (channel.isOpen()) {
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
