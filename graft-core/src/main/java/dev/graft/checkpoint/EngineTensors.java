package dev.graft.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves tensors between Graft and the engine. F16 and BF16 are widened to float32 in Java first,
 * because a BF16 array aborts the JVM in DJL 0.36 with libtorch 2.7.1.
 */
public final class EngineTensors {
    private EngineTensors() {}

    /** An engine array holding the tensor's values; half types become float32. */
    public static NDArray toNDArray(NDManager manager, Tensor t) {
        Shape shape = new Shape(t.dims().sizes());
        if (t.dtype() == DType.F16 || t.dtype() == DType.BF16) {
            return manager.create(t.toFloats(), shape);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect((int) t.byteSize()).order(ByteOrder.nativeOrder());
        ByteBuffer src = t.data();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            direct.put(src);
        } else {
            throw new UnsupportedOperationException("big-endian hosts are not supported");
        }
        direct.rewind();
        return manager.create(direct, shape, dataType(t.dtype()));
    }

    /** A tensor holding a copy of the array's values. */
    public static Tensor fromNDArray(NDArray a) {
        DType dtype = dtype(a.getDataType());
        ByteBuffer b = a.toByteBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(b).flip();
        return Tensor.of(dtype, new Dims(a.getShape().getShape()), copy);
    }

    /** The engine type a Graft type is loaded as. */
    public static DataType dataType(DType t) {
        return switch (t) {
            case F64 -> DataType.FLOAT64;
            case F32, F16, BF16 -> DataType.FLOAT32;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I16 -> DataType.INT16;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }

    /** The Graft type of an engine type. */
    public static DType dtype(DataType t) {
        return switch (t) {
            case FLOAT64 -> DType.F64;
            case FLOAT32 -> DType.F32;
            case FLOAT16 -> DType.F16;
            case INT64 -> DType.I64;
            case INT32 -> DType.I32;
            case INT16 -> DType.I16;
            case INT8 -> DType.I8;
            case UINT8 -> DType.U8;
            case BOOLEAN -> DType.BOOL;
            default -> throw new IllegalArgumentException("unsupported engine type " + t);
        };
    }
}
