package dev.graft.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.checkpoint.Checkpoints;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.CsvReader;
import dev.graft.data.DataLimits;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.RegressionLoss;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.SpecParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Graft's regression training against PyTorch (tools/make_regression_fixture.py): the same rows,
 * the same initial weights, the same batches and Adam, and the first epoch's mean training loss
 * for MSE, MAE and Huber (δ 0.5) on standardized targets.
 */
class RegressionFixtureTest {
    static final Path DIR = Path.of("src", "test", "resources", "regression");
    static final Path CSV = Path.of("..", "examples", "data", "fashion-ink", "train.csv");
    static final String SPEC = """
            name: ink
            input: [49]
            head: head
            layers:
              - {name: hidden, type: linear, out: 16}
              - {name: act, type: relu}
              - {name: head, type: linear, out: 1}
            """;

    @ParameterizedTest
    @CsvSource({"mse, MSE, 1", "mae, MAE, 1", "huber_0.5, HUBER, 0.5"})
    void theFirstEpochsLossIsPyTorchs(String key, RegressionLoss.Kind kind, double delta) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        int rows = expected.get("rows").asInt();
        int batch = expected.get("batch_size").asInt();
        RegressionLoss loss = new RegressionLoss(kind, delta);
        Examples all = CsvReader.readValues(CSV, "ink", true, DataLimits.DEFAULT, loss).examples();
        Examples first = all.subset(IntStream.range(0, rows).toArray());
        first = first.withTargets(first.targets().standardizedBy(first.targets().values()));
        // the loop's shuffle draws this permutation from the seed; placing row j at perm[j] makes
        // its batches the rows in file order, as PyTorch's unshuffled loader gives them
        long seed = 7;
        int[] perm = Distributions.permutation(rows, new SplittableRandom(seed));
        int[] at = new int[rows];
        for (int j = 0; j < rows; j++) {
            at[perm[j]] = j;
        }
        Examples placed = first.subset(at);
        Map<String, Tensor> init = new LinkedHashMap<>();
        try (WeightStore w = Checkpoints.open(DIR.resolve("init.safetensors"))) {
            for (String name : w.names()) {
                init.put(name, w.read(name));
            }
        }
        TrainConfig cfg = TrainConfig.simple(OptimizerKind.ADAM, expected.get("lr").asDouble(), 1, batch);
        try (NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(ModelLayout.of(SpecParser.parse("ink", SPEC)), m)) {
            model.load(init);
            TrainResult r = FineTuner.fit(model, FineTuner.Policy.allTrainable(), placed, null, cfg, seed,
                    TrainListener.NONE);
            double want = expected.get("first_epoch_loss").get(key).asDouble();
            assertEquals(want, r.history().get(0).trainLoss(), 1e-5 * Math.max(1, Math.abs(want)), key);
        }
    }
}
