package dev.graft.checkpoint;

import java.io.IOException;
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
        AtomicFiles.write(target, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                if (t.dtype() == DType.BF16) {
                    t = Tensor.ofFloats(t.dims(), t.toFloats());
                }
                byte[] header = NpyHeader.encode(t.dtype(), t.dims());
                byte[] data = new byte[(int) t.byteSize()];
                t.data().get(data);
                ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    crc.update(data);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(header.length + data.length);
                    ze.setCompressedSize(header.length + data.length);
                    ze.setCrc(crc.getValue());
                }
                zip.putNextEntry(ze);
                zip.write(header);
                zip.write(data);
                zip.closeEntry();
            }
            zip.finish();
            zip.flush();
        });
    }

}
