import dev.graft.search.AnnealingSampler;
import dev.graft.search.Dimension;
import dev.graft.search.SearchSpace;
import dev.graft.search.Study;
import dev.graft.search.TpeSampler;
import dev.graft.search.Trial;
import java.util.List;
import java.util.Map;

/**
 * A study on its own, for any objective over categorical or ordinal choices: ask for a point,
 * evaluate it, tell the result. Any sampler fits (TPE and annealing here; genetic, random and
 * grid too). The tests compile and run this file as it is.
 */
public final class StudyExample {
    /** A toy objective with its best at lr 1.0, depth 3, optimizer adam. */
    static double objective(Map<String, Object> p) {
        double lr = (Double) p.get("lr");
        int depth = (Integer) p.get("depth");
        return -Math.abs(Math.log10(lr)) - 0.1 * (3 - depth) + ("adam".equals(p.get("optimizer")) ? 0.2 : 0);
    }

    public static void main(String[] args) {
        SearchSpace space = new SearchSpace(List.of(
                Dimension.ordinal("lr", List.of(0.01, 0.1, 1.0, 10.0)),
                Dimension.ordinal("depth", List.of(1, 2, 3)),
                Dimension.categorical("optimizer", List.of("sgd", "adam"))));
        try (Study tpe = new Study(space, TpeSampler.defaults(42))) {
            for (int i = 0; i < 30; i++) {
                Trial t = tpe.ask();
                tpe.tell(t, objective(space.decode(t.point())));
            }
            Trial best = tpe.best().orElseThrow();
            System.out.println("tpe best: " + space.decode(best.point()) + " value " + best.value());
        }
        // the same loop in one call, with simulated annealing
        try (Study annealing = new Study(space, new AnnealingSampler(AnnealingSampler.Config.defaults(30), 7))) {
            annealing.optimize(30, point -> objective(space.decode(point)));
            Trial best = annealing.best().orElseThrow();
            System.out.println("annealing best: " + space.decode(best.point()) + " value " + best.value());
        }
    }
}
