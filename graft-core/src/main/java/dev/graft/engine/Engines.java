package dev.graft.engine;

import ai.djl.engine.Engine;

/**
 * The one place Graft reaches the deep-learning engine. It switches DJL to offline mode before
 * the engine loads, so libtorch comes from the {@code pytorch-native-cpu} jar on the class path
 * and nothing is downloaded at run time.
 */
public final class Engines {
    private static final boolean MALLOC_TUNED;

    static {
        System.setProperty("ai.djl.offline", "true");
        MALLOC_TUNED = NativeMemory.keepFreedMemory();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            int cores = Runtime.getRuntime().availableProcessors();
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Math.max(1, cores)));
        }
    }

    private Engines() {}

    /** Whether glibc was told to keep freed memory for reuse (see {@link NativeMemory}). */
    public static boolean mallocTuned() {
        return MALLOC_TUNED;
    }

    /** The PyTorch engine, loaded offline. Thread-safe. */
    public static Engine pytorch() {
        return Engine.getEngine("PyTorch");
    }
}
