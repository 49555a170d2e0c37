package dev.graft.model;

import dev.graft.GraftInputException;

/** A model spec that cannot be read or built; the message names the file and the layer. */
public final class SpecException extends GraftInputException {
    public SpecException(String message) {
        super(message);
    }
}
