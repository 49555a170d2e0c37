package dev.graft.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening the UTF-8 text files Graft reads data from (CSV, JSON Lines). */
public final class Utf8Text {
    private Utf8Text() {}

    /**
     * A reader of {@code file} as UTF-8, past a leading byte-order mark (U+FEFF) if there is one:
     * spreadsheet programs write one in front of "CSV UTF-8" files, and read as text it became part
     * of the first column's name ("\uFEFFa" is not "a", and the error showed no difference).
     *
     * @throws IOException if the file cannot be opened or read
     */
    public static BufferedReader open(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        return in;
    }
}
