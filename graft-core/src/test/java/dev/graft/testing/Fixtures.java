package dev.graft.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths to the committed fixtures and examples. */
public final class Fixtures {
    private Fixtures() {}

    /** A file under src/test/resources/fixtures (written by tools/make_fixtures.py). */
    public static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    /** A file under the repository's examples/ folder. */
    public static Path example(String relative) {
        Path p = Path.of("..", "examples", relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing example " + p.toAbsolutePath());
        }
        return p;
    }
}
