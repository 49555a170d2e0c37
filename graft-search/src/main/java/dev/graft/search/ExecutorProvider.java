package dev.graft.search;

import dev.graft.GraftInputException;
import java.util.ServiceLoader;

/**
 * Where {@code graft search --executor URL} sends trials. {@code local} (the default) runs them in
 * this JVM, or in {@code --workers} worker JVMs; other URLs belong to a provider found on the class
 * path ({@link ServiceLoader}), such as module graft-spark's for {@code spark://HOST:PORT} and
 * {@code local-cluster[N,1,MB]}. So a module whose jars are absent costs nothing and is named in
 * the error.
 */
public interface ExecutorProvider {
    /** Whether this provider runs trials at {@code url}. */
    boolean accepts(String url);

    /**
     * An executor at {@code url} running {@code workers} trials at once with {@code threads}
     * PyTorch threads each.
     */
    TrialExecutor create(String url, int workers, int threads);

    /**
     * Checks {@code url} before anything is written (the search's journal included): its form, and
     * whether what it names answers (Spark's provider connects to the master's port, at most
     * 10 s), so an unusable executor costs the user one line, not a search of failed trials.
     *
     * @throws GraftInputException in one line naming the URL and what is wrong with it
     */
    default void check(String url) {}

    /**
     * The factory of executors for {@code url}.
     *
     * @throws GraftInputException if no provider on the class path accepts it: one line naming the
     *     module to add for a Spark URL
     */
    static SearchRunner.ExecutorFactory factory(String url, int workers, int threads) {
        if (url == null || url.equals("local")) {
            return workers == 1 ? SearchRunner.ExecutorFactory.LOCAL
                    : (requests, objective) -> new WorkerPoolExecutor(workers, threads);
        }
        for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class)) {
            if (p.accepts(url)) {
                p.check(url);
                return (requests, objective) -> p.create(url, workers, threads);
            }
        }
        if (url.startsWith("spark://") || url.startsWith("local-cluster[")) {
            throw new GraftInputException("--executor " + url + ": the Spark executor (module graft-spark) is not on "
                    + "the class path; build it with 'mvn -pl graft-spark -am package' and run ./graft, which adds it "
                    + "when --executor names a Spark master");
        }
        throw new GraftInputException("--executor " + url + ": unknown executor (local, spark://HOST:PORT, "
                + "local-cluster[N,1,MB])");
    }
}
