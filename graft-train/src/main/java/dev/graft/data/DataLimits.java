package dev.graft.data;

/**
 * Upper bounds the readers check before they allocate, so that a hostile or corrupt file (a
 * small {@code .gz} that claims billions of values, a CSV line of hundreds of megabytes, a huge
 * image) is refused with a one-line {@link DataException} instead of exhausting the heap.
 * Immutable and thread-safe.
 *
 * @param maxMb memory the loaded samples may take, in MB (features held as 4-byte floats)
 * @param maxLineChars characters in one CSV line
 * @param maxFields fields in one CSV line
 * @param maxImagePixels pixels (width × height) of one image before it is resized
 */
public record DataLimits(long maxMb, int maxLineChars, int maxFields, long maxImagePixels) {
    /** 2 GB of samples, 4 Mi characters and 100 000 fields per CSV line, 40 megapixels per image. */
    public static final DataLimits DEFAULT = new DataLimits(2048, 1 << 22, 100_000, 40_000_000L);

    /** @throws IllegalArgumentException if a limit is not positive */
    public DataLimits {
        if (maxMb <= 0 || maxLineChars <= 0 || maxFields <= 0 || maxImagePixels <= 0) {
            throw new IllegalArgumentException("data limits must be positive");
        }
    }

    /**
     * Checks that {@code values} floats fit in the limit and in this JVM's heap.
     *
     * @param file the file the values come from (named in the message)
     * @param what what was claimed, for the message ("2000000000 images of 28×28")
     * @throws DataException "FILE: too large (…)" if they do not fit
     */
    public void checkValues(Object file, String what, long values) {
        long bytes = values * Float.BYTES;
        if (values < 0 || bytes / Float.BYTES != values || bytes > maxMb * (1L << 20)) {
            throw new DataException(file + ": too large (" + what + ", " + mb(bytes) + " MB as floats; the limit is "
                    + maxMb + " MB, data.limits.max_mb)");
        }
        // a Java array holds at most about 2^31 elements
        if (values > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": too large (" + what + ", over 2^31 values)");
        }
        // the loaded samples are copied at least once (splits, normalization): half the heap at most
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && bytes > heap / 2) {
            throw new DataException(file + ": too large (" + what + ", " + mb(bytes) + " MB as floats; the JVM heap is "
                    + mb(heap) + " MB, raise it with -Xmx)");
        }
    }

    /** The most float values {@link #checkValues} accepts: within {@link #maxMb}, half the heap and one array. */
    public long maxValues() {
        long heap = Runtime.getRuntime().maxMemory();
        long byHeap = heap == Long.MAX_VALUE ? Long.MAX_VALUE : heap / 2 / Float.BYTES;
        return Math.min(Math.min(maxMb * (1L << 20) / Float.BYTES, byHeap), Integer.MAX_VALUE - 8);
    }

    private static long mb(long bytes) {
        return (bytes + (1L << 20) - 1) >> 20;
    }
}
