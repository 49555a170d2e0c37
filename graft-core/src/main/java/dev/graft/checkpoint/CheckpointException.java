package dev.graft.checkpoint;

import dev.graft.GraftInputException;
import java.nio.file.Path;

/**
 * A checkpoint file that Graft cannot accept: malformed, unsupported or inconsistent. The message
 * names the file and the problem in one line.
 */
public final class CheckpointException extends GraftInputException {
    private final String file;

    public CheckpointException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CheckpointException(Path file, String problem) {
        this(String.valueOf(file), problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = String.valueOf(file);
    }

    public CheckpointException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or label, for in-memory input) the problem was found in. */
    public String file() {
        return file;
    }
}
