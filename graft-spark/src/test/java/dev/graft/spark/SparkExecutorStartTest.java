package dev.graft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import org.junit.jupiter.api.Test;

/**
 * Found while checking the unreachable master: a cluster whose workers cannot give an executor (an
 * executor asks 2048 MB of a worker offering 1024) held `graft search` forever without a word. Now
 * the executor's start ends in one line naming the URL and what an executor asks.
 */
class SparkExecutorStartTest {
    @Test
    void aClusterThatCannotGiveAnExecutorIsOneLine() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster(1, 512)) {
            long start = System.nanoTime();
            GraftInputException e = assertThrows(GraftInputException.class,
                    () -> new SparkExecutor(cluster.url(), 1, 1024, 5));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("--executor " + cluster.url() + ": no Spark executor started within 5 s; an executor asks a "
                    + "worker for 1 free core and 1024 MB (set -Dgraft.spark.executor.memory.mb=MB in GRAFT_JAVA_OPTS "
                    + "to ask for less)", e.getMessage());
            assertTrue(seconds < 30, seconds + " s");
        }
    }
}
