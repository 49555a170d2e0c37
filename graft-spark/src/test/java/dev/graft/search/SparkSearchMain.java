package dev.graft.search;

import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.spark.SparkExecutor;
import java.nio.file.Path;

/**
 * A search's driver in a JVM of its own, for tests that stop it mid-search: arguments EXPERIMENT
 * MASTER EXECUTORS. The driver is what {@code graft search EXP --executor MASTER --workers
 * EXECUTORS} runs, without the command line (graft-cli is not on graft-spark's class path).
 */
final class SparkSearchMain {
    private SparkSearchMain() {}

    public static void main(String[] args) throws Exception {
        Path exp = Path.of(args[0]);
        var c = ExperimentLoader.read(exp);
        Prepared p = ExperimentRunner.prepare(c, exp, ExperimentRunner.Progress.NONE);
        int executors = Integer.parseInt(args[2]);
        try {
            SearchRunner.run(p, SearchSettings.of(c, "test"), false,
                    (requests, objective) -> new SparkExecutor(args[1], executors, 1024),
                    (t, summary, best, finished, total, eta) -> System.out.println("told " + t.number()));
        } catch (SearchStoppedException e) {
            System.out.println(e.getMessage());
        }
    }
}
