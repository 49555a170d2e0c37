import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.search.SearchRunner;
import dev.graft.search.SearchSettings;
import dev.graft.search.TrialExecutor;
import dev.graft.search.WorkerPoolExecutor;
import dev.graft.spark.LoopbackCluster;
import dev.graft.spark.SparkExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The driver of bench/cluster_bench.sh: the experiment's search on N executors of one core, either
 * worker JVMs ("pool") or Spark executors on a standalone cluster on 127.0.0.1 ("spark", master and
 * workers started here). Prints one JSON line: trials; startup_s, from the executor's creation to
 * the first result less that trial's own time (JVM starts, Spark's scheduling, preparing the
 * experiment); search_s; per_hour over the whole search; steady_per_hour after the first result.
 * Usage: java -cp ... bench/ClusterBench.java EXPERIMENT pool|spark N
 */
public final class ClusterBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String kind = args[1];
        int n = Integer.parseInt(args[2]);
        ExperimentConfig c = ExperimentLoader.read(file);
        SearchSettings s = SearchSettings.of(c, "search");
        Prepared p = ExperimentRunner.prepare(c, file, ExperimentRunner.Progress.NONE);
        LoopbackCluster cluster = kind.equals("spark") ? new LoopbackCluster(n, 1024) : null;
        long[] created = {0};
        long[] first = {0};
        try {
            SearchRunner.Outcome o = SearchRunner.run(p, s, false, (requests, objective) -> {
                created[0] = System.nanoTime();
                TrialExecutor e = cluster != null ? new SparkExecutor(cluster.url(), n, 1024)
                        : new WorkerPoolExecutor(n, 1);
                return e;
            }, (t, summary, best, finished, total, eta) -> {
                if (first[0] == 0) {
                    first[0] = System.nanoTime();
                }
            });
            double seconds = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.results().toFile())
                    .path("search_seconds").asDouble();
            List<String> journal = Files.readAllLines(o.journal());
            long[] at = journal.stream().filter(l -> l.contains("\"tell\"")).mapToLong(l -> {
                int i = l.indexOf("\"at_ms\":") + 8;
                int j = i;
                while (j < l.length() && Character.isDigit(l.charAt(j))) {
                    j++;
                }
                return Long.parseLong(l.substring(i, j));
            }).sorted().toArray();
            double steady = (at.length - 1) / ((at[at.length - 1] - at[0]) / 1000.0) * 3600;
            // a trial's own time, from the steady rate of one executor
            double perTrial = n / (steady / 3600);
            double startup = (first[0] - created[0]) / 1e9 - perTrial;
            System.out.println(String.format(Locale.ROOT,
                    "{\"kind\":\"%s\",\"executors\":%d,\"trials\":%d,\"startup_s\":%.1f,\"search_s\":%.1f,"
                            + "\"per_hour\":%.0f,\"steady_per_hour\":%.0f}",
                    kind, n, o.trials().size(), startup, seconds, o.trials().size() / seconds * 3600, steady));
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
