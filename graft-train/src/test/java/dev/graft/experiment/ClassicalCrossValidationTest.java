package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSplit;
import dev.graft.train.Evaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cross-validating a classical-head strategy ({@code graft train --strategy knn --folds K}) fits the
 * classical head on every fold: each fold's accuracy is 1-nearest-neighbour by cosine on the frozen
 * encoder's features, counted here by hand. Before, the folds trained the network's own head.
 */
class ClassicalCrossValidationTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void eachFoldIsTheNearestNeighbourOnTheFrozenEncodersFeatures() {
        String data = """
                  format: csv
                  train_images: %1$s/examples/data/tiny-csv/train.csv
                  csv: {label: cultivar}
                  normalize: {auto: true}
                """.formatted(ROOT);
        ExperimentConfig c = ExperimentLoader.parse("cv", """
                name: cv
                model: %1$s/examples/specs/tiny-mlp.yaml
                source:
                  pretrain:
                    data:
                %2$s    train: {optimizer: adam, lr: 0.01, epochs: 5, batch_size: 12}
                data:
                %3$s
                train: {epochs: 3}
                strategies:
                  - {name: knn, head: {type: knn, k: 1}}
                """.formatted(ROOT, data.indent(4), data));
        Prepared p = ExperimentRunner.prepare(c, ROOT.resolve("cv.yaml"), ExperimentRunner.Progress.NONE);
        Strategies.Resolved knn = ExperimentRunner.strategies(p).get(0);
        CrossValidation.Result cv = CrossValidation.run(p, knn, 2, 0, ExperimentRunner.Progress.NONE);

        // the frozen encoder: the source's tensors before the head
        ModelLayout prefix = ModelLayout.of(ModelSplit.before(p.layout().spec(), "head", true).orElseThrow().prefix());
        Map<String, Tensor> source = new LinkedHashMap<>();
        p.source().names().forEach(n -> source.put(n, p.source().read(n)));
        Examples pool = p.data().pool();
        Examples features;
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel encoder = GraftModel.build(prefix, m)) {
            encoder.load(prefix.tensorsOf(source));
            features = Evaluator.activations(encoder, pool);
        }
        List<int[]> folds = pool.stratifiedFolds(2, 0);
        for (int f = 0; f < 2; f++) {
            List<Integer> train = new ArrayList<>();
            for (int i : folds.get(1 - f)) {
                train.add(i);
            }
            int right = 0;
            for (int i : folds.get(f)) {
                int nearest = -1;
                double best = -2;
                for (int j : train) {
                    double cos = cosine(features, i, j);
                    if (cos > best) {
                        best = cos;
                        nearest = j;
                    }
                }
                right += pool.labels()[nearest] == pool.labels()[i] ? 1 : 0;
            }
            ClassificationMetrics fold = cv.folds().get(f);
            assertEquals(right / (double) folds.get(f).length, fold.accuracy(), 1e-12, "fold " + f);
        }
        assertTrue(cv.accuracy().mean() > 0.5, "accuracy " + cv.accuracy());
    }

    private static double cosine(Examples x, int a, int b) {
        int d = x.sampleSize();
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < d; k++) {
            double u = x.features()[a * d + k];
            double v = x.features()[b * d + k];
            dot += u * v;
            na += u * u;
            nb += v * v;
        }
        return dot / Math.sqrt(na * nb);
    }
}
