package dev.graft.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Pair;
import dev.graft.engine.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the parameters of a TorchScript module ({@code .pt}) through the engine, with trainable
 * parameters as DJL requires ({@code trainParam=true}).
 *
 * <p>Limitation: the engine exposes a module's parameters, not its buffers, so BatchNorm running
 * statistics of a TorchScript module are not imported. Export a {@code state_dict} to
 * safetensors to keep them.
 */
public final class TorchScriptImporter {
    private TorchScriptImporter() {}

    /**
     * Loads the module's named parameters into memory, in the module's order.
     *
     * @throws CheckpointException if the file is not a TorchScript module the engine can load
     */
    public static MemoryWeightStore load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException(path, "no such file");
        }
        Engines.pytorch();
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(path.toAbsolutePath())
                .optEngine("PyTorch")
                .optOption("trainParam", "true")
                .build();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray a = p.getValue().getArray();
                tensors.put(p.getKey(), EngineTensors.fromNDArray(a));
            }
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new CheckpointException(path, "not a TorchScript module the engine can load: "
                    + e.getMessage(), e);
        } catch (ai.djl.engine.EngineException e) {
            throw new CheckpointException(path, "not a TorchScript module the engine can load: "
                    + firstLine(e.getMessage()), e);
        }
        return new MemoryWeightStore(path, tensors, Map.of("format", "torchscript"));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
