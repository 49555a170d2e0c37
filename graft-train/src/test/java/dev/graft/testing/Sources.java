package dev.graft.testing;

import dev.graft.checkpoint.MemoryWeightStore;
import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shipped source checkpoint, in memory. */
public final class Sources {
    private Sources() {}

    public static MemoryWeightStore cnn() {
        try (SafetensorsFile f = SafetensorsFile.open(Path.of("..", "examples", "checkpoints",
                "fashion-source.safetensors"))) {
            Map<String, Tensor> all = new LinkedHashMap<>();
            for (String n : f.names()) {
                Tensor t = f.read(n);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) t.byteSize());
                b.put(t.data()).flip();
                all.put(n, Tensor.of(t.dtype(), t.dims(), b));
            }
            return new MemoryWeightStore(null, all, f.metadata());
        }
    }
}
