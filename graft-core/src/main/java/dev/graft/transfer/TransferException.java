package dev.graft.transfer;

import dev.graft.GraftInputException;

/** A plan that cannot be applied to this source and target, or a plan file that is invalid. */
public final class TransferException extends GraftInputException {
    public TransferException(String message) {
        super(message);
    }
}
