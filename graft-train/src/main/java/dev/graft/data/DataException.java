package dev.graft.data;

import dev.graft.GraftInputException;

/** A dataset file or data option that Graft cannot use; the message names the file. */
public final class DataException extends GraftInputException {
    public DataException(String message) {
        super(message);
    }
}
