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
        // the factory no longer refuses a Spark URL (creating it would connect)
        ExecutorProvider.factory("spark://127.0.0.1:7077", 2, 1);
        ExecutorProvider.factory("local-cluster[2,1,1024]", 2, 1);
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
