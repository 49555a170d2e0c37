package dev.graft.checkpoint;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * Decodes the {@code data.pkl} of a TorchScript archive into plain values: module objects as
 * {@link ModuleObject}, tensors as {@link TensorRef} (a storage key, offset, size and stride),
 * lists, maps and scalars. The pickle is read by Razorvine's {@code pickle} library (MIT, the
 * unpickler Spark uses) with constructors registered for the few globals TorchScript writes; every
 * other global becomes an inert map. Nothing named in the file is ever looked up as code.
 */
final class TorchPickle {
    private TorchPickle() {}

    /** A storage record: its element type, its key under {@code data/}, its element count. */
    record StorageRef(DType dtype, String key, long numel) {}

    /** A tensor as a view of a storage, in elements. */
    record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {
        /** The index of the last storage element the view touches, or offset - 1 when empty. */
        long lastElement() {
            long last = storageOffset;
            for (int d = 0; d < size.length; d++) {
                if (size[d] == 0) {
                    return storageOffset - 1;
                }
                last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
            return last;
        }

        boolean isContiguous() {
            long expected = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                if (size[d] != 1 && stride[d] != expected) {
                    return false;
                }
                expected *= size[d];
            }
            return true;
        }

        String strideText() {
            return Arrays.toString(stride);
        }
    }

    /** A scripted module: its TorchScript class name and attributes. */
    record ModuleObject(String className, Map<String, Object> attributes) {}

    /** The storage types TorchScript's pickler names, e.g. {@code torch.FloatStorage}. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("a storage type is not callable");
        }
    }

    static {
        Map<String, DType> storages = Map.of("Double", DType.F64, "Float", DType.F32, "Half", DType.F16,
                "BFloat16", DType.BF16, "Long", DType.I64, "Int", DType.I32, "Short", DType.I16,
                "Char", DType.I8, "Byte", DType.U8, "Bool", DType.BOOL);
        storages.forEach((name, dtype) -> Unpickler.registerConstructor("torch", name + "Storage", new StorageType(dtype)));
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchPickle::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TorchPickle::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state", args -> args[0]);
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new LinkedHashMap<>());
        for (String f : List.of("build_intlist", "build_doublelist", "build_boollist", "build_tensorlist",
                "build_genericlist", "restore_type_tag")) {
            Unpickler.registerConstructor("torch.jit._pickle", f, args -> args.length == 0 ? null : args[0]);
        }
    }

    private static TensorRef rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("a tensor without a storage");
        }
        long offset = number(args[1]);
        long[] size = longs(args[2]);
        long[] stride = longs(args[3]);
        if (size.length != stride.length || offset < 0 || Arrays.stream(size).anyMatch(s -> s < 0)
                || Arrays.stream(stride).anyMatch(s -> s < 0)) {
            throw new PickleException("a tensor with size " + Arrays.toString(size) + ", stride "
                    + Arrays.toString(stride) + " and offset " + offset);
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private static long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new PickleException("expected an integer, found " + o);
    }

    private static long[] longs(Object o) {
        if (o instanceof Object[] a) {
            return Arrays.stream(a).mapToLong(TorchPickle::number).toArray();
        }
        if (o instanceof List<?> l) {
            return l.stream().mapToLong(TorchPickle::number).toArray();
        }
        throw new PickleException("expected a tuple of integers, found " + o);
    }

    /** Resolves {@code ('storage', type, key, location, numel)} persistent ids. */
    private static final class ArchiveUnpickler extends Unpickler {
        @Override
        protected Object persistentLoad(Object pid) {
            if (pid instanceof Object[] t && t.length >= 5 && "storage".equals(t[0])
                    && t[1] instanceof StorageType type && t[2] instanceof String key) {
                return new StorageRef(type.dtype(), key, number(t[4]));
            }
            throw new PickleException("unsupported persistent id " + describe(pid));
        }
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.stream(a).map(String::valueOf).collect(Collectors.joining(", ", "(", ")"))
                : String.valueOf(o);
    }

    /**
     * Decodes a pickle into the module tree.
     *
     * @param label names the pickle in errors
     * @throws CheckpointException if the bytes are not a pickle TorchScript writes
     */
    static Object load(String label, byte[] pickle) {
        ArchiveUnpickler u = new ArchiveUnpickler();
        try {
            return convert(u.loads(pickle), 0);
        } catch (PickleException | IOException | ClassCastException | IndexOutOfBoundsException
                | ArithmeticException | IllegalArgumentException e) {
            throw new CheckpointException(label, "cannot read the module pickle: " + e.getMessage(), e);
        } catch (java.util.EmptyStackException e) {
            throw new CheckpointException(label, "cannot read the module pickle: it is truncated", e);
        } catch (OutOfMemoryError e) {
            // The library allocates a length-prefixed string or byte run before reading it; a
            // forged length fails here in one allocation, before anything else is held.
            throw new CheckpointException(label, "too large (the pickle claims a value larger than memory)", e);
        } finally {
            u.close();
        }
    }

    /** Turns the library's generic objects into this class's records, recursively. */
    private static Object convert(Object o, int depth) {
        if (depth > 10_000) {
            throw new PickleException("nested too deeply");
        }
        if (o instanceof ClassDict cd) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : cd.entrySet()) {
                if (!e.getKey().equals("__class__")) {
                    attributes.put(e.getKey(), convert(e.getValue(), depth + 1));
                }
            }
            return new ModuleObject(cd.getClassName(), attributes);
        }
        return o;
    }
}
