package dev.graft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A validated NumPy {@code .npz} archive: {@code .npy} arrays (format 1, 2 or 3) inside a zip,
 * stored or deflated, little- or big-endian, C order. Every header is checked on open; data is
 * read (and converted to little-endian) one array at a time. Nothing in the file is ever
 * unpickled or executed. Safe for concurrent reads.
 */
public final class NpzFile extends IndexedStore<NpzFile.Entry> {
    private final Path path;
    private final ZipFile zip;

    record Entry(ZipEntry zipEntry, NpyHeader header, TensorInfo info) implements IndexedStore.Indexed {}

    private NpzFile(Path path, ZipFile zip, Map<String, Entry> entries) {
        super(path, path.toString(), entries);
        this.path = path;
        this.zip = zip;
    }

    /**
     * Opens an archive and validates every array header in it.
     *
     * @throws CheckpointException if the file is missing, not a zip, or holds a bad array
     */
    public static NpzFile open(Path path) {
        ZipFile zip = ZipArchives.open(path, ".npz");
        try {
            Map<String, Entry> entries = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry ze = en.nextElement();
                if (ze.isDirectory()) {
                    continue;
                }
                String zname = ze.getName();
                if (!zname.endsWith(".npy")) {
                    throw new CheckpointException(path, "entry '" + zname + "' is not a .npy array");
                }
                String name = zname.substring(0, zname.length() - 4);
                String label = path + "!" + zname;
                NpyHeader h;
                try (InputStream in = zip.getInputStream(ze)) {
                    h = NpyHeader.read(label, in);
                }
                if (ze.getSize() >= 0 && ze.getSize() != h.headerBytes() + h.dataBytes()) {
                    throw new CheckpointException(label, "shape " + h.dims() + " of " + h.dtype()
                            + " needs " + h.dataBytes() + " data bytes but the entry holds "
                            + (ze.getSize() - h.headerBytes()));
                }
                TensorInfo info = new TensorInfo(name, h.dtype(), h.dims());
                if (entries.put(name, new Entry(ze, h, info)) != null) {
                    throw new CheckpointException(path, "duplicate array '" + name + "'");
                }
            }
            return new NpzFile(path, zip, Collections.unmodifiableMap(entries));
        } catch (IOException | RuntimeException e) {
            ZipArchives.closeQuietly(zip);
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                // java.util.zip reports undecodable entry names as IllegalArgumentException
                throw new CheckpointException(path, "cannot read archive: " + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public Tensor read(String name) {
        Entry e = entry(name);
        String label = path + "!" + e.zipEntry().getName();
        long bytes = e.header().dataBytes();
        SizeLimits.checkTensor(label, bytes);
        byte[] data = ZipArchives.read(zip, e.zipEntry(), e.header().headerBytes(), bytes, label);
        if (e.header().bigEndian()) {
            ZipArchives.swapBytes(data, e.header().dtype().byteSize());
        }
        return Tensor.of(e.header().dtype(), e.header().dims(),
                ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** NPZ has no metadata; always empty. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        ZipArchives.closeQuietly(zip);
    }
}
