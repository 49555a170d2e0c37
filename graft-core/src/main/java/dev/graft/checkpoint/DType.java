package dev.graft.checkpoint;

import java.util.Optional;

/**
 * Element types Graft reads and writes. Names follow safetensors; NumPy codes follow the
 * {@code .npy} format's {@code descr} without the byte-order character.
 */
public enum DType {
    F64(8, "f8", true),
    F32(4, "f4", true),
    F16(2, "f2", true),
    BF16(2, null, true),
    I64(8, "i8", false),
    I32(4, "i4", false),
    I16(2, "i2", false),
    I8(1, "i1", false),
    U8(1, "u1", false),
    BOOL(1, "b1", false);

    private final int byteSize;
    private final String numpyCode;
    private final boolean floating;

    DType(int byteSize, String numpyCode, boolean floating) {
        this.byteSize = byteSize;
        this.numpyCode = numpyCode;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether the type holds floating-point values. */
    public boolean isFloating() {
        return floating;
    }

    /** The NumPy type code (such as {@code f4}), empty for bfloat16 which NumPy lacks. */
    public Optional<String> numpyCode() {
        return Optional.ofNullable(numpyCode);
    }

    /** The type with this safetensors name, if Graft supports it. */
    public static Optional<DType> fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type with this NumPy code (without byte order), if Graft supports it. */
    public static Optional<DType> fromNumpyCode(String code) {
        for (DType t : values()) {
            if (code.equals(t.numpyCode)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
