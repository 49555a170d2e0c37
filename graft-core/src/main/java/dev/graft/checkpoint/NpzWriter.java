package dev.graft.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npz} archives atomically, one little-endian C-order {@code .npy} entry per
 * tensor. NumPy has no bfloat16, so BF16 tensors are written widened to float32.
 */
public final class NpzWriter {
    private NpzWriter() {}

    /**
     * Writes the tensors, deflated when {@code compress} is true, stored otherwise.
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code target} then
     */
    public static void write(Path target, Map<String, Tensor> tensors, boolean compress)
            throws IOException {
        write(target, new MemoryWeightStore(null, tensors, Map.of()), compress);
    }

    /**
     * Writes every tensor of {@code tensors}, in its order, reading one at a time, so at most one
     * tensor is held in memory.
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code target} then
     * @throws CheckpointException if a tensor cannot be read from {@code tensors}
     */
    public static void write(Path target, WeightStore tensors, boolean compress) throws IOException {
        AtomicFiles.write(target, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            WritableByteChannel ch = Channels.newChannel(zip);
            for (String name : tensors.names()) {
                Tensor t = tensors.read(name);
                if (t.dtype() == DType.BF16) {
                    t = Tensor.ofFloats(t.dims(), t.toFloats());
                }
                byte[] header = NpyHeader.encode(t.dtype(), t.dims());
                ZipEntry ze = new ZipEntry(name + ".npy");
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    crc.update(t.data());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(header.length + t.byteSize());
                    ze.setCompressedSize(header.length + t.byteSize());
                    ze.setCrc(crc.getValue());
                }
                zip.putNextEntry(ze);
                zip.write(header);
                ByteBuffer data = t.data();
                while (data.hasRemaining()) {
                    ch.write(data);
                }
                zip.closeEntry();
            }
            zip.finish();
            zip.flush();
        });
    }
}
