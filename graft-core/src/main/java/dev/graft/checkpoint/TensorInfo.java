package dev.graft.checkpoint;

/**
 * What a store knows about a tensor before reading it.
 *
 * @param name the tensor's name
 * @param dtype its element type
 * @param dims its shape
 */
public record TensorInfo(String name, DType dtype, Dims dims) {
    public long byteSize() {
        return dims.count() * dtype.byteSize();
    }
}
