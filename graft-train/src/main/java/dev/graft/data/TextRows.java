package dev.graft.data;

import java.io.Closeable;
import java.io.IOException;

/**
 * The rows of a text file as they stream in, one text and its label (and group) each: the
 * fields a {@link TextReader} tokenizes and maps to classes. Not thread-safe.
 */
interface TextRows extends Closeable {
    /**
     * One row.
     *
     * @param text the text as written (never null; may be empty)
     * @param label the label, trimmed and not empty; null when no label was asked for
     * @param group the group, trimmed and not empty; null when no group was asked for
     * @param line the 1-based line the row starts on
     */
    record Row(String text, String label, String group, int line) {}

    /**
     * The next row, or null at the end.
     *
     * @throws DataException naming the file and line for a malformed row, or a row beyond the limits
     */
    Row next() throws IOException;
}
