package dev.graft.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Lines of a text file of at most {@code max} characters each: a longer one fails before it is
 * held in memory ({@code data.limits.max_line_chars}). Line ends may be {@code \n}, {@code \r\n}
 * or {@code \r}. Not thread-safe.
 */
final class BoundedLines {
    private final Reader in;
    private final Path file;
    private final int max;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;
    private int number;
    private boolean pendingCr;

    BoundedLines(Reader in, Path file, int max) {
        this.in = in;
        this.file = file;
        this.max = max;
    }

    /** The 1-based number of the line {@link #next()} returned last. */
    int number() {
        return number;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws DataException "FILE: too large (line N is longer than …)" for a line beyond the limit
     */
    String next() throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return null;
                    }
                    number++;
                    return sb.toString();
                }
            }
            char c = buf[pos++];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            any = true;
            if (c == '\n' || c == '\r') {
                pendingCr = c == '\r';
                number++;
                return sb.toString();
            }
            if (sb.length() >= max) {
                throw new DataException(file + ": too large (line " + (number + 1) + " is longer than " + max
                        + " characters, data.limits.max_line_chars)");
            }
            sb.append(c);
        }
    }

    /**
     * What went wrong reading {@code file}, in a user's words.
     *
     * @param kind what the file should have been, for a folder given instead ("a CSV file")
     */
    static DataException readError(Path file, IOException e, String kind) {
        if (e instanceof NoSuchFileException) {
            return new DataException(file + ": no such file");
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            // the decoder's own message is "Input length = 1"
            return new DataException(file + ": not UTF-8 text (is it a binary file?)");
        }
        return new DataException(file + ": cannot read: " + (Files.isDirectory(file) ? "it is a folder, not " + kind
                : e.getMessage()));
    }
}
