package dev.graft.spark;

import dev.graft.search.ExecutorProvider;
import dev.graft.search.TrialExecutor;

/**
 * {@code --executor spark://HOST:PORT} (a standalone master) and {@code local-cluster[N,1,MB]}:
 * {@code --workers} executors of one core; each executor's heap is the system property
 * {@code graft.spark.executor.memory.mb}, or 2048 MB. PyTorch runs one thread per executor, as it has one core.
 */
public final class SparkExecutorProvider implements ExecutorProvider {
    @Override
    public boolean accepts(String url) {
        return url.startsWith("spark://") || url.startsWith("local-cluster[");
    }

    @Override
    public TrialExecutor create(String url, int workers, int threads) {
        int memory = Integer.getInteger("graft.spark.executor.memory.mb", 2048);
        return new SparkExecutor(url, workers, memory);
    }
}
