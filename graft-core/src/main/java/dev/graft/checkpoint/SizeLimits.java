package dev.graft.checkpoint;

/**
 * The largest things Graft allocates for one tensor or one embedded pickle, checked against what
 * a file claims before anything is allocated. Raise them with the system properties
 * {@code graft.max_tensor_bytes} and {@code graft.max_pickle_bytes} (for example through
 * {@code GRAFT_JAVA_OPTS=-Dgraft.max_tensor_bytes=4000000000 ./graft ...}); a value above what a
 * Java array can hold is capped there.
 */
public final class SizeLimits {
    /** What one Java byte array can hold. */
    static final long ARRAY_BYTES = Integer.MAX_VALUE - 16;

    private SizeLimits() {}

    /** Bytes one tensor read into memory may take: {@code graft.max_tensor_bytes}, default 2 GiB. */
    public static long maxTensorBytes() {
        return Math.min(ARRAY_BYTES, property("graft.max_tensor_bytes", ARRAY_BYTES));
    }

    /** Bytes a checkpoint's embedded pickle may take: {@code graft.max_pickle_bytes}, default 64 MiB. */
    public static long maxPickleBytes() {
        return Math.min(ARRAY_BYTES, property("graft.max_pickle_bytes", 64L << 20));
    }

    /**
     * Refuses a tensor of {@code bytes} bytes over {@link #maxTensorBytes()}.
     *
     * @throws CheckpointException naming {@code label}: "too large (N bytes, limit M)"
     */
    public static void checkTensor(String label, long bytes) {
        long limit = maxTensorBytes();
        if (bytes > limit) {
            throw new CheckpointException(label, "too large (" + bytes + " bytes, limit " + limit
                    + "; raise it with -Dgraft.max_tensor_bytes)");
        }
    }

    private static long property(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new dev.graft.GraftInputException("-D" + name + "=" + v + ": expected a positive number of bytes");
        }
    }
}
