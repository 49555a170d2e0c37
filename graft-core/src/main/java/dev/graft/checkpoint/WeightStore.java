package dev.graft.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable map from tensor name to tensor, validated when opened. Reads are lazy: a tensor's
 * bytes are touched only when {@link #read} asks for them.
 *
 * <p>Implementations are safe for concurrent reads; tensors read from a store stay valid until
 * the store is closed.
 */
public interface WeightStore extends AutoCloseable {

    /** The file this store was read from, if any. */
    Optional<Path> file();

    /** Tensor names in file order. */
    List<String> names();

    /**
     * Type and shape of a tensor, without reading its data.
     *
     * @throws java.util.NoSuchElementException if there is no such tensor
     */
    TensorInfo info(String name);

    /** Whether a tensor of this name exists. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * The tensor of this name.
     *
     * @throws java.util.NoSuchElementException if there is no such tensor
     * @throws CheckpointException if its bytes cannot be read
     */
    Tensor read(String name);

    /** String metadata stored beside the tensors (safetensors' {@code __metadata__}). */
    Map<String, String> metadata();

    @Override
    void close();
}
