package dev.graft;

/**
 * Input that Graft refuses: a bad file, spec, plan or option. The command line reports these as
 * one line and exit code 2; everything else is an internal failure (exit code 1).
 */
public class GraftInputException extends RuntimeException {
    public GraftInputException(String message) {
        super(message);
    }

    public GraftInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
