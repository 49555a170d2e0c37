package dev.graft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    }
}
