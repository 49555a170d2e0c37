package dev.graft.spark;

import dev.graft.search.ExecutorProvider;
import dev.graft.search.TrialExecutor;

/**
 * {@code --executor spark://HOST:PORT} (a standalone master) and {@code local-cluster[N,1,MB]}:
 * {@code --workers} executors of one core; each executor's heap is the system property
 * {@code graft.spark.executor.memory.mb}, or 2048 MB (at most
 * the memory a {@code local-cluster} worker offers). PyTorch runs one thread per executor, as it has one core.
 */
public final class SparkExecutorProvider implements ExecutorProvider {
    @Override
    public boolean accepts(String url) {
        return url.startsWith("spark://") || url.startsWith("local-cluster[");
    }

    @Override
    public TrialExecutor create(String url, int workers, int threads) {
        int memory = Integer.getInteger("graft.spark.executor.memory.mb", 2048);
        if (url.startsWith("local-cluster[")) {
            // local-cluster[N,CORES,MB]: an executor may not ask for more than its worker offers
            String[] parts = url.substring("local-cluster[".length(), url.length() - 1).split(",");
            memory = Math.min(memory, Integer.parseInt(parts[2].trim()));
        }
        return new SparkExecutor(url, workers, memory);
    }
}
