package dev.graft.search;

import dev.graft.spark.LoopbackCluster;
import dev.graft.spark.SparkExecutor;

/** Two 1-core Spark executors on a standalone cluster on 127.0.0.1 pass the executor contract. */
class SparkContractTest extends TrialExecutorContract {
    private LoopbackCluster cluster;

    @Override
    protected TrialExecutor start() throws Exception {
        cluster = new LoopbackCluster(2, 1024);
        return new SparkExecutor(cluster.url(), 2, 1024);
    }

    @Override
    protected void stopped() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs 2 trials at once: one trial per 1-core executor. */
    @org.junit.jupiter.api.Test
    void runsAsManyTrialsAtOnceAsItHasSlots() {
        org.junit.jupiter.api.Assertions.assertEquals(2, executor().parallelism());
    }
}
