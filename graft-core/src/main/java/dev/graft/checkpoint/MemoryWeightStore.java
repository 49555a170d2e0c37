package dev.graft.checkpoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** A weight store held in memory, in insertion order. Immutable once built; thread-safe. */
public final class MemoryWeightStore implements WeightStore {
    private final Path file;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    /**
     * @param file the file the tensors came from, or null
     * @param tensors the tensors, in order; copied
     * @param metadata string metadata; copied
     */
    public MemoryWeightStore(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    @Override
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        Tensor t = read(name);
        return new TensorInfo(name, t.dtype(), t.dims());
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public Tensor read(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor named '" + name + "'");
        }
        return t;
    }

    /** All tensors, in order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
