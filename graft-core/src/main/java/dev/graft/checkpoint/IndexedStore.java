package dev.graft.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The part of a file-backed store that only looks tensors up in its validated index; subclasses
 * say how to read one.
 *
 * @param <E> what the index holds per tensor
 */
abstract class IndexedStore<E extends IndexedStore.Indexed> implements WeightStore {
    /**
     * Opens {@code path} for reading.
     *
     * @throws CheckpointException naming the file if it is missing or cannot be opened
     */
    static java.nio.channels.FileChannel openForReading(Path path) {
        try {
            return java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CheckpointException(path, "no such file");
        } catch (java.io.IOException e) {
            throw new CheckpointException(path, "cannot open: " + e.getMessage(), e);
        }
    }


    /** An index entry: at least the tensor's type and shape. */
    interface Indexed {
        TensorInfo info();
    }

    private final Path path;
    private final String label;
    private final Map<String, E> entries;

    /**
     * @param path the file, or null for bytes in memory
     * @param label names the store in errors
     * @param entries the validated index, in file order; not copied, so it must not change
     */
    IndexedStore(Path path, String label, Map<String, E> entries) {
        this.path = path;
        this.label = label;
        this.entries = entries;
    }

    @Override
    public final Optional<Path> file() {
        return Optional.ofNullable(path);
    }

    @Override
    public final List<String> names() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public final TensorInfo info(String name) {
        return entry(name).info();
    }

    @Override
    public final boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The label errors name the store by. */
    final String label() {
        return label;
    }

    /**
     * The index entry of a tensor.
     *
     * @throws NoSuchElementException if there is none
     */
    final E entry(String name) {
        E e = entries.get(name);
        if (e == null) {
            throw new NoSuchElementException(label + ": no tensor named '" + name + "'");
        }
        return e;
    }

    /** How many tensors the index holds. */
    final int size() {
        return entries.size();
    }
}
