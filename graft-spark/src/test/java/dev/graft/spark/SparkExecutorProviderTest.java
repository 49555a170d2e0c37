package dev.graft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.search.ExecutorProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** With graft-spark on the class path, --executor finds its provider for Spark masters only. */
class SparkExecutorProviderTest {
    @Test
    void theProviderIsFoundForSparkMastersOnly() {
        var found = ServiceLoader.load(ExecutorProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size());
        assertEquals(SparkExecutorProvider.class, found.get(0).getClass());
        assertEquals(true, found.get(0).accepts("spark://127.0.0.1:7077"));
        assertEquals(true, found.get(0).accepts("local-cluster[2,1,1024]"));
        assertEquals(false, found.get(0).accepts("local"));
        // the factory no longer refuses a Spark URL whose port answers (creating the executor would register)
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ExecutorProvider.factory("spark://127.0.0.1:" + listening.getLocalPort(), 2, 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ExecutorProvider.factory("local-cluster[2,1,1024]", 2, 1);
    }

    /**
     * Found by a fresh user: a master where nothing listens cost a minute of Spark's registration
     * retries, then every trial was told FAILED. Now it is one line naming the URL, in seconds,
     * before anything is written.
     */
    @Test
    void anUnreachableMasterIsOneLineWithinSeconds() throws java.io.IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // the port is free again: nothing listens on it
        String url = "spark://127.0.0.1:" + port;
        long start = System.nanoTime();
        dev.graft.GraftInputException e = assertThrows(dev.graft.GraftInputException.class,
                () -> ExecutorProvider.factory(url, 2, 1));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < SparkExecutorProvider.CONNECT_TIMEOUT_S, seconds + " s");
        assertEquals("--executor " + url + ": no Spark master answered within " + SparkExecutorProvider.CONNECT_TIMEOUT_S
                + " s (connection refused); is the master running?", e.getMessage());
    }

    /**
     * Found by a fresh user: these crashed with a Java exception (exit 1) after the journal was
     * written, and zero workers waited forever; each is now one line before anything is written.
     */
    @Test
    void aMalformedSparkUrlIsRefusedInOneLineBeforeTheSearchStarts() {
        for (String url : new String[] {"spark://", "spark://h:notaport", "spark://h:0", "spark://h:70000",
                "local-cluster[x]", "local-cluster[0,1,1024]", "local-cluster[2,1]", "local-cluster[2,0,1024]"}) {
            dev.graft.GraftInputException e = assertThrows(dev.graft.GraftInputException.class,
                    () -> ExecutorProvider.factory(url, 1, 1), url);
            assertTrue(e.getMessage().startsWith("--executor " + url + ": ") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }
}
