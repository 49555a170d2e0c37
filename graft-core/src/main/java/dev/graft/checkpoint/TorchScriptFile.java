package dev.graft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code state_dict} of a TorchScript module ({@code torch.jit.save}'s {@code .pt}), read
 * without running anything in it: parameters <em>and</em> buffers (BatchNorm running statistics
 * and {@code num_batches_tracked}), named and ordered as {@code torch.jit.load(f).state_dict()}.
 *
 * <p>The archive is a zip of {@code data.pkl} (the module tree as a pickle whose tensors point at
 * storages by key), {@code data/KEY} records (raw storage bytes) and {@code code/} (the classes'
 * TorchScript source, of which only the {@code __parameters__} and {@code __buffers__} lists are
 * read). The pickle is decoded by {@link TorchPickle}, which builds plain maps and never calls
 * code named in the file. Tensors are read lazily, one at a time, and checked against the record
 * that holds them and against {@link SizeLimits#maxTensorBytes()} before anything is allocated.
 * Safe for concurrent reads.
 */
public final class TorchScriptFile extends IndexedStore<TorchScriptFile.Entry> {
    private final Path path;
    private final ZipFile zip;
    private final boolean bigEndian;

    record Entry(TorchPickle.TensorRef ref, ZipEntry record, TensorInfo info) implements IndexedStore.Indexed {}

    private TorchScriptFile(Path path, ZipFile zip, boolean bigEndian, Map<String, Entry> entries) {
        super(path, path.toString(), entries);
        this.path = path;
        this.zip = zip;
        this.bigEndian = bigEndian;
    }

    /**
     * Opens a TorchScript archive and indexes its {@code state_dict}.
     *
     * @throws CheckpointException if the file is missing, not a TorchScript archive, or holds a
     *     tensor whose storage record is missing or too small
     */
    public static TorchScriptFile open(Path path) {
        ZipFile zip = ZipArchives.open(path, "TorchScript");
        try {
            String root = rootFolder(path, zip);
            boolean bigEndian = "big".equals(text(zip, root + "byteorder", 16));
            Object module = TorchPickle.load(path + "!" + root + "data.pkl",
                    readAll(path, zip, root + "data.pkl", SizeLimits.maxPickleBytes()));
            StateDeclarations declared = StateDeclarations.read(path, zip, root + "code/");
            List<Map.Entry<String, TorchPickle.TensorRef>> found = new ArrayList<>();
            collect(path, module, "", declared, found);
            // Storage keys number tensors in the order the pickler met them, which is the
            // state_dict order (a module's own parameters, its buffers, then its children).
            found.sort(Comparator.comparingLong((Map.Entry<String, TorchPickle.TensorRef> e) -> keyOrder(e.getValue()))
                    .thenComparingLong(e -> e.getValue().storageOffset()));
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, TorchPickle.TensorRef> e : found) {
                entries.put(e.getKey(), index(path, zip, root, e.getKey(), e.getValue()));
            }
            return new TorchScriptFile(path, zip, bigEndian, Collections.unmodifiableMap(entries));
        } catch (RuntimeException e) {
            ZipArchives.closeQuietly(zip);
            throw e;
        }
    }

    private static long keyOrder(TorchPickle.TensorRef ref) {
        String key = ref.storage().key();
        return key.chars().allMatch(Character::isDigit) && !key.isEmpty() && key.length() < 18
                ? Long.parseLong(key) : Long.MAX_VALUE;
    }

    private static String rootFolder(Path path, ZipFile zip) {
        return zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith("data.pkl"))
                .filter(n -> n.indexOf('/') == n.length() - "data.pkl".length() - 1)
                .map(n -> n.substring(0, n.length() - "data.pkl".length()))
                .findFirst()
                .orElseThrow(() -> new CheckpointException(path,
                        "not a TorchScript archive: no FOLDER/data.pkl entry (torch.save pickles are not read; "
                                + "save the state_dict with safetensors)"));
    }

    /** Walks the module tree, naming each declared parameter and buffer as state_dict does. */
    private static void collect(Path path, Object node, String prefix, StateDeclarations declared,
            List<Map.Entry<String, TorchPickle.TensorRef>> out) {
        if (!(node instanceof TorchPickle.ModuleObject m)) {
            return;
        }
        List<String> stateNames = declared.stateOf(m.className());
        for (Map.Entry<String, Object> a : m.attributes().entrySet()) {
            String name = prefix + a.getKey();
            if (a.getValue() instanceof TorchPickle.TensorRef t) {
                if (stateNames == null || stateNames.contains(a.getKey())) {
                    out.add(Map.entry(name, t));
                }
            } else if (a.getValue() instanceof TorchPickle.ModuleObject) {
                collect(path, a.getValue(), name + ".", declared, out);
            }
        }
    }

    private static Entry index(Path path, ZipFile zip, String root, String name, TorchPickle.TensorRef ref) {
        String label = path + "!" + name;
        ZipEntry record = zip.getEntry(root + "data/" + ref.storage().key());
        if (record == null) {
            throw new CheckpointException(label, "its storage record data/" + ref.storage().key() + " is missing");
        }
        DType dtype = ref.storage().dtype();
        Dims dims = new Dims(ref.size());
        long needed = ref.lastElement() + 1;
        long bytes;
        try {
            bytes = Math.multiplyExact(Math.max(needed, 0), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(label, "too large (shape " + dims + " overflows)");
        }
        if (record.getSize() >= 0 && dims.count() > 0 && bytes > record.getSize()) {
            throw new CheckpointException(label, "shape " + dims + " with strides " + ref.strideText()
                    + " needs " + bytes + " bytes of storage data/" + ref.storage().key()
                    + " but the record holds " + record.getSize());
        }
        return new Entry(ref, record, new TensorInfo(name, dtype, dims));
    }

    @Override
    public Tensor read(String name) {
        Entry e = entry(name);
        String label = path + "!" + name;
        TorchPickle.TensorRef ref = e.ref();
        DType dtype = e.info().dtype();
        long count = e.info().dims().count();
        long outBytes = count * dtype.byteSize();
        long span = count == 0 ? 0 : (ref.lastElement() + 1) * dtype.byteSize();
        SizeLimits.checkTensor(label, Math.max(outBytes, span));
        byte[] storage = ZipArchives.read(zip, e.record(), 0, span, label);
        byte[] out = ref.isContiguous() ? slice(storage, ref.storageOffset() * dtype.byteSize(), (int) outBytes)
                : gather(storage, ref, dtype.byteSize(), (int) outBytes);
        if (bigEndian) {
            ZipArchives.swapBytes(out, dtype.byteSize());
        }
        return Tensor.of(dtype, e.info().dims(), ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static byte[] slice(byte[] storage, long from, int length) {
        if (from == 0 && length == storage.length) {
            return storage;
        }
        byte[] out = new byte[length];
        System.arraycopy(storage, (int) from, out, 0, length);
        return out;
    }

    /** Copies a strided view (a transposed weight, say) into C order. */
    private static byte[] gather(byte[] storage, TorchPickle.TensorRef ref, int width, int outBytes) {
        byte[] out = new byte[outBytes];
        long[] size = ref.size();
        long[] stride = ref.stride();
        long[] index = new long[size.length];
        int n = outBytes / width;
        for (int i = 0; i < n; i++) {
            long at = ref.storageOffset();
            for (int d = 0; d < size.length; d++) {
                at += index[d] * stride[d];
            }
            System.arraycopy(storage, (int) (at * width), out, i * width, width);
            for (int d = size.length - 1; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    static byte[] readAll(Path path, ZipFile zip, String entryName, long limit) {
        ZipEntry ze = zip.getEntry(entryName);
        if (ze == null) {
            throw new CheckpointException(path, "not a TorchScript archive: no " + entryName);
        }
        if (ze.getSize() > limit) {
            throw new CheckpointException(path + "!" + entryName, "too large (" + ze.getSize()
                    + " bytes, limit " + limit + ")");
        }
        try (InputStream in = zip.getInputStream(ze)) {
            byte[] b = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 16));
            if (b.length > limit) {
                throw new CheckpointException(path + "!" + entryName, "too large (over " + limit + " bytes)");
            }
            return b;
        } catch (IOException e) {
            throw new CheckpointException(path + "!" + entryName, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String text(ZipFile zip, String entryName, int max) {
        ZipEntry ze = zip.getEntry(entryName);
        if (ze == null) {
            return "";
        }
        try (InputStream in = zip.getInputStream(ze)) {
            return new String(in.readNBytes(max), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("format", "torchscript");
    }

    @Override
    public void close() {
        ZipArchives.closeQuietly(zip);
    }
}
