import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.search.SearchRunner;
import dev.graft.search.SearchSettings;
import dev.graft.search.Trial;
import dev.graft.search.WorkerPoolExecutor;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The worker side of bench/search_bench.sh: the experiment's search run through the worker pool
 * with N worker JVMs of T PyTorch threads each, including N = 1 (which `graft search` runs in its
 * own JVM instead). Prints one JSON line: trials, seconds of the search phase (worker start-up
 * included, the final test measurement not), trials per hour.
 * Usage: java -cp ... bench/PoolBench.java EXPERIMENT WORKERS THREADS
 */
public final class PoolBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int workers = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        ExperimentConfig c = ExperimentLoader.read(file);
        SearchSettings s = SearchSettings.of(c, "search");
        Prepared p = ExperimentRunner.prepare(c, file, ExperimentRunner.Progress.NONE);
        SearchRunner.Outcome o = SearchRunner.run(p, s, false, (requests, objective) -> new WorkerPoolExecutor(workers, threads),
                new SearchRunner.Listener() {
                    @Override
                    public void trialFinished(Trial t, String summary, double best, int finished, int total, double eta) {
                    }
                });
        double seconds = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.results().toFile())
                .path("search_seconds").asDouble();
        System.out.println(String.format(Locale.ROOT, "{\"trials\":%d,\"seconds\":%.1f,\"per_hour\":%.0f}",
                o.trials().size(), seconds, o.trials().size() / seconds * 3600));
    }
}
