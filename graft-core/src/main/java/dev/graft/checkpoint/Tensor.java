package dev.graft.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One tensor's type, shape and raw little-endian bytes. Immutable: the buffer is read-only and
 * may be a view of a memory-mapped file, so it stays valid only while its store is open.
 */
public final class Tensor {
    private final DType dtype;
    private final Dims dims;
    private final ByteBuffer data;

    private Tensor(DType dtype, Dims dims, ByteBuffer data) {
        this.dtype = Objects.requireNonNull(dtype);
        this.dims = Objects.requireNonNull(dims);
        long expected = Math.multiplyExact(dims.count(), dtype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(
                    "shape " + dims + " of " + dtype + " needs " + expected + " bytes, got "
                            + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor over little-endian bytes; the buffer's remaining bytes must match the shape. */
    public static Tensor of(DType dtype, Dims dims, ByteBuffer littleEndianData) {
        return new Tensor(dtype, dims, littleEndianData);
    }

    /** A float32 tensor holding a copy of {@code values}. */
    public static Tensor ofFloats(Dims dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.F32, dims, b);
    }

    /** An int64 tensor holding a copy of {@code values}. */
    public static Tensor ofLongs(Dims dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DType.I64, dims, b);
    }

    public DType dtype() {
        return dtype;
    }

    public Dims dims() {
        return dims;
    }

    /** A read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long byteSize() {
        return data.remaining();
    }

    /**
     * The values widened or converted to float32: F16 and BF16 are widened exactly, integers are
     * converted, booleans become 0 or 1.
     *
     * @throws ArithmeticException if the tensor has more elements than a Java array can hold
     */
    public float[] toFloats() {
        int n = Math.toIntExact(dims.count());
        float[] out = new float[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case F64 -> (float) b.getDouble(i * 8);
                case F32 -> b.getFloat(i * 4);
                case F16 -> HalfFloats.halfToFloat(b.getShort(i * 2));
                case BF16 -> HalfFloats.bfloat16ToFloat(b.getShort(i * 2));
                case I64 -> (float) b.getLong(i * 8);
                case I32 -> (float) b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8 -> b.get(i) & 0xFF;
                case BOOL -> b.get(i) != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    /** Whether the two tensors have the same type, shape and bytes. */
    public boolean contentEquals(Tensor other) {
        return dtype == other.dtype && dims.equals(other.dims) && data().equals(other.data());
    }

    @Override
    public String toString() {
        return dtype + dims.toString();
    }
}
