package dev.graft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Opens a checkpoint of any supported format, chosen by the file's first bytes. */
public final class Checkpoints {
    private Checkpoints() {}

    /** A checkpoint format. */
    public enum Format { SAFETENSORS, NPZ, TORCHSCRIPT, ONNX }

    /**
     * The format of a file, from its first bytes: zip archives holding {@code .npy} entries are
     * NPZ, other zip archives TorchScript, and an 8-byte header length followed by a JSON object
     * safetensors. A file named {@code *.onnx}, or one that starts as an ONNX ModelProto does (its
     * IR version, then a producer name, domain or graph field), is ONNX. Anything else is refused
     * with what it looks like (YAML, a pickle, HDF5, ...).
     *
     * @throws CheckpointException if the file cannot be read or is no checkpoint Graft reads
     */
    public static Format detect(Path path) {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(64);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read: " + e.getMessage(), e);
        }
        boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        if (!zip) {
            // by name first: a broken .onnx file then gets the ONNX reader's precise error
            if (path.getFileName() != null
                    && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                return Format.ONNX;
            }
            if (head.length > 8 && head[8] == '{') {
                return Format.SAFETENSORS;
            }
            // after safetensors: a header length such as 0x3A0108 starts with the same bytes
            if (looksLikeOnnx(head)) {
                return Format.ONNX;
            }
            throw new CheckpointException(path, "not a checkpoint (" + FileSniffer.describe(path, head)
                    + "); Graft reads safetensors, npz, TorchScript and ONNX files");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return Format.NPZ;
        }
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(path.toFile())) {
            boolean npy = z.stream().anyMatch(e -> e.getName().endsWith(".npy"));
            return npy ? Format.NPZ : Format.TORCHSCRIPT;
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(path, "not a valid zip archive: " + e.getMessage());
        }
    }

    /**
     * ModelProto's first fields as exporters write them: ir_version (field 1, a one-byte varint:
     * IR versions so far run from 1 to 12), then producer_name (2), domain (4) or graph (7), each
     * length-delimited.
     */
    private static boolean looksLikeOnnx(byte[] head) {
        if (head.length < 3 || head[0] != 0x08 || head[1] <= 0) {
            return false;
        }
        int next = head[2] & 0xFF;
        return next == 0x12 || next == 0x22 || next == 0x3A;
    }

    /**
     * Opens a checkpoint: safetensors, NPZ, or a TorchScript module's {@code state_dict}
     * (parameters and buffers, read from the archive without running it), or an ONNX model's
     * initializers (with PyTorch names recovered, see {@link OnnxFile}).
     *
     * @throws CheckpointException if the file is missing or malformed
     */
    public static WeightStore open(Path path) {
        return switch (detect(path)) {
            case SAFETENSORS -> SafetensorsFile.open(path);
            case NPZ -> NpzFile.open(path);
            case TORCHSCRIPT -> TorchScriptFile.open(path);
            case ONNX -> OnnxFile.open(path);
        };
    }

    /** The SHA-256 of a file, as lower-case hex. */
    public static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
