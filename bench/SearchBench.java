import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.search.PolicyObjective;
import dev.graft.search.PolicySpace;
import dev.graft.search.SearchSettings;
import dev.graft.search.Study;
import dev.graft.search.Trial;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The naive side of bench/search_bench.sh: every trial a full fine-tune in this JVM, no memo, no
 * prefix cache, no pruning, with the same sampler, seed and budget as the experiment's search.
 * Prints one JSON line: trials, seconds, evaluations per hour, best validation value.
 */
public final class SearchBench {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        ExperimentConfig c = ExperimentLoader.read(file);
        SearchSettings s = SearchSettings.of(c, "search");
        Prepared p = ExperimentRunner.prepare(c, file, ExperimentRunner.Progress.NONE);
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        PolicyObjective naive = new PolicyObjective(p, space, s.shots(), s.seed(), s.metric());
        long start = System.nanoTime();
        try (Study study = new Study(space.space(), s.newSampler())) {
            study.optimize(s.trials(), point -> PolicyObjective.fitness(naive.run(point)));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "{\"trials\":%d,\"seconds\":%.1f,\"per_hour\":%.0f,\"best\":%.4f}", s.trials(), seconds,
                    s.trials() / seconds * 3600, study.best().map(Trial::value).orElse(Double.NaN)));
        }
    }
}
