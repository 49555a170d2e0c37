package dev.graft.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.GraftInputException;
import org.junit.jupiter.api.Test;

/** --executor without the module that runs it: one line naming the module; local needs none. */
class ExecutorProviderTest {
    @Test
    void aSparkMasterWithoutGraftSparkNamesTheModule() {
        // graft-search's tests do not have graft-spark on their class path, as ./graft without --executor spark
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> ExecutorProvider.factory("spark://h:7077", 2, 1));
        assertEquals("--executor spark://h:7077: the Spark executor (module graft-spark) is not on the class path; "
                + "build it with 'mvn -pl graft-spark -am package' and run ./graft, which adds it when --executor "
                + "names a Spark master", e.getMessage());
        assertThrows(GraftInputException.class, () -> ExecutorProvider.factory("local-cluster[2,1,1024]", 2, 1));
    }

    @Test
    void anUnknownExecutorIsRefused() {
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> ExecutorProvider.factory("yarn", 2, 1));
        assertEquals("--executor yarn: unknown executor (local, spark://HOST:PORT, local-cluster[N,1,MB])",
                e.getMessage());
    }

    @Test
    void localIsThisJvmForOneWorker() {
        assertSame(SearchRunner.ExecutorFactory.LOCAL, ExecutorProvider.factory("local", 1, 1));
    }
}
