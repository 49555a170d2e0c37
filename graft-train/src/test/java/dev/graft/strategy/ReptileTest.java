package dev.graft.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReptileTest {
    @TempDir
    Path dir;

    @Test
    void theMetaStepMovesThetaTheGivenShareTowardTheAdaptedWeights() {
        Map<String, Tensor> theta = new LinkedHashMap<>();
        theta.put("w", Tensor.ofFloats(new Dims(3), new float[] {1, 2, 3}));
        theta.put("n", Tensor.ofLongs(new Dims(), new long[] {4}));
        Map<String, Tensor> adapted = new LinkedHashMap<>();
        adapted.put("w", Tensor.ofFloats(new Dims(3), new float[] {3, 2, -1}));
        adapted.put("n", Tensor.ofLongs(new Dims(), new long[] {9}));
        Map<String, Tensor> out = Reptile.interpolate(theta, adapted, 0.25);
        assertArrayEquals(new float[] {1.5f, 2f, 2f}, out.get("w").toFloats());
        assertEquals(adapted.get("n"), out.get("n"), "counters follow the adapted model");
    }

    @Test
    void metaTrainingFromYamlIsSeededAndFineTunesLikeItsThenStrategy() throws Exception {
        Prepared p = dev.graft.testing.ShippedTask.prepare(dir, "reptile", """
                train: {epochs: 2, batch_size: 25}
                strategies:
                  - name: reptile
                    base: reptile
                    reptile:
                      iterations: 6
                      data:
                        train_images: $ROOT/data/fashion/source-train-images-idx3-ubyte.gz
                        train_labels: $ROOT/data/fashion/source-train-labels-idx1-ubyte.gz
                        classes: [0, 1, 3, 5, 8]
                        normalize: {mean: [0.286], std: [0.353]}
                shots: [5]
                seeds: [0]
                """);
        List<ComparedStrategy> s = ExperimentRunner.comparedStrategies(p, (x, w) -> Optional.empty());
        RunRecord r = ExperimentRunner.compare(p, s, ExperimentRunner.Progress.NONE).get(0);
        assertTrue(r.message().startsWith("full from the Reptile initialization (6 meta-iterations"), r.message());
        assertNotNull(r.test(), "measured on the test set");
        // full from the meta-learned weights: every layer transferred and fine-tuned, the head new
        assertEquals(List.of("fine-tuned", "fine-tuned", "fine-tuned", "fine-tuned", "fine-tuned", "re-initialized"),
                r.transfer().stream().map(dev.graft.experiment.LayerDecision::decision).toList());

        Reptile reptile = new Reptile(3, 2, 0.003, 1.0, 2);
        var source = dev.graft.experiment.TaskData.load(p.config().strategies().get(0).reptile().data(), p.dir(), "d")
                .pool();
        WeightStore a = reptile.metaTrain(p.layout(), source, 7);
        WeightStore b = reptile.metaTrain(p.layout(), source, 7);
        WeightStore fresh = new Reptile(1, 1, 1e-12, 1e-9, 1).metaTrain(p.layout(), source, 7);
        assertArrayEquals(a.read("features.0.weight").toFloats(), b.read("features.0.weight").toFloats(),
                "seeded: the same weights twice");
        assertFalse(java.util.Arrays.equals(a.read("features.0.weight").toFloats(),
                fresh.read("features.0.weight").toFloats()), "meta-training moved the weights");
    }
}
