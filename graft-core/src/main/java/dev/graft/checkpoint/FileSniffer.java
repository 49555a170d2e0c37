package dev.graft.checkpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** Says what a file that is not a checkpoint looks like, from its first bytes, for error messages. */
final class FileSniffer {
    private FileSniffer() {}

    static String describe(Path path, byte[] head) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (head.length == 0) {
            return "the file is empty";
        }
        int b0 = head[0] & 0xFF;
        if (b0 == 0x80 && head.length > 1 && (head[1] & 0xFF) <= 5) {
            return "looks like a Python pickle, e.g. torch.save of a whole object; Graft never unpickles: "
                    + "save model.state_dict() with safetensors, or the module with torch.jit.save";
        }
        if (startsWith(head, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
            return "looks like a single NumPy .npy array; save named arrays with numpy.savez";
        }
        if (startsWith(head, new byte[] {(byte) 0x89, 'H', 'D', 'F'})) {
            return "looks like HDF5 (Keras); export the weights to safetensors or npz";
        }
        if (b0 == 0x1F && head.length > 1 && (head[1] & 0xFF) == 0x8B) {
            return "looks gzip-compressed; decompress it first";
        }
        if (printable(head)) {
            String text = new String(head, StandardCharsets.UTF_8).stripLeading();
            if (text.startsWith("{") || text.startsWith("[")) {
                return "looks like JSON text";
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml") || text.contains(":")) {
                return "looks like YAML text; a model spec goes after --target, an experiment after train or compare";
            }
            return "looks like text";
        }
        return "unknown binary format";
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(byte[] head) {
        for (byte b : head) {
            int c = b & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F) {
                return false;
            }
        }
        return true;
    }
}
