package dev.graft.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a {@code .npy} array (format versions 1, 2 and 3). The header is a Python dict
 * literal; it is parsed here by a small literal parser and never evaluated. Object arrays (which
 * need pickle), structured dtypes and Fortran order are refused.
 *
 * @param dtype the element type
 * @param bigEndian whether the stored bytes are big-endian
 * @param dims the array's shape
 * @param headerBytes the bytes before the data (magic, version, length and dict)
 */
public record NpyHeader(DType dtype, boolean bigEndian, Dims dims, int headerBytes) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;

    /**
     * Reads the header from the start of {@code in}, leaving it positioned at the data.
     *
     * @param label names the array in errors
     * @throws CheckpointException if the header is malformed or describes an unsupported array
     */
    public static NpyHeader read(String label, InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(8);
        if (fixed.length < 8) {
            throw new CheckpointException(label, "truncated .npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (fixed[i] != MAGIC[i]) {
                throw new CheckpointException(label, "not a .npy array (bad magic)");
            }
        }
        int major = fixed[6] & 0xFF;
        long len;
        int prefix;
        if (major == 1) {
            byte[] l = in.readNBytes(2);
            if (l.length < 2) {
                throw new CheckpointException(label, "truncated .npy header");
            }
            len = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] l = in.readNBytes(4);
            if (l.length < 4) {
                throw new CheckpointException(label, "truncated .npy header");
            }
            len = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw new CheckpointException(label, "unsupported .npy format version " + major);
        }
        if (len > MAX_HEADER) {
            throw new CheckpointException(label, ".npy header of " + len + " bytes is too long");
        }
        byte[] dict = in.readNBytes((int) len);
        if (dict.length < len) {
            throw new CheckpointException(label, "truncated .npy header");
        }
        String text = major == 3 ? new String(dict, StandardCharsets.UTF_8)
                : new String(dict, StandardCharsets.ISO_8859_1);
        return parse(label, text, prefix + (int) len);
    }

    private static NpyHeader parse(String label, String text, int headerBytes) {
        Object parsed = new PyLiteral(label, text).parseTop();
        if (!(parsed instanceof java.util.Map<?, ?> map)) {
            throw new CheckpointException(label, ".npy header is not a dict");
        }
        Object descr = map.get("descr");
        Object fortran = map.get("fortran_order");
        Object shape = map.get("shape");
        if (descr == null || fortran == null || shape == null) {
            throw new CheckpointException(label, ".npy header lacks descr, fortran_order or shape");
        }
        if (!(descr instanceof String d)) {
            throw new CheckpointException(label, "structured dtypes are not supported");
        }
        if (!(fortran instanceof Boolean f)) {
            throw new CheckpointException(label, "fortran_order is not True or False");
        }
        if (f) {
            throw new CheckpointException(label, "Fortran-order arrays are not supported; save in C order");
        }
        if (!(shape instanceof List<?> dimsList)) {
            throw new CheckpointException(label, "shape is not a tuple");
        }
        long[] dims = new long[dimsList.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(dimsList.get(i) instanceof Long v) || v < 0) {
                throw new CheckpointException(label, "shape " + dimsList + " holds a bad dimension");
            }
            dims[i] = v;
        }
        if (d.length() < 2) {
            throw new CheckpointException(label, "unsupported dtype '" + d + "'");
        }
        char order = d.charAt(0);
        String code = d.substring(1);
        if (code.startsWith("O")) {
            throw new CheckpointException(label, "object arrays need pickle, which Graft never runs");
        }
        if ("<>|=".indexOf(order) < 0) {
            throw new CheckpointException(label, "unsupported dtype '" + d + "'");
        }
        DType dtype = DType.fromNumpyCode(code).orElseThrow(() ->
                new CheckpointException(label, "unsupported dtype '" + d + "'"));
        Dims shapeDims = new Dims(dims);
        try {
            Math.multiplyExact(shapeDims.count(), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(label, "shape " + shapeDims + " overflows");
        }
        return new NpyHeader(dtype, order == '>', shapeDims, headerBytes);
    }

    /** The data size in bytes. */
    public long dataBytes() {
        return dims.count() * dtype.byteSize();
    }

    /** A version 1 header (or version 2 when the dict is too long) for little-endian C data. */
    public static byte[] encode(DType dtype, Dims dims) {
        String code = dtype.numpyCode().orElseThrow(() ->
                new IllegalArgumentException(dtype + " has no NumPy type"));
        char order = dtype.byteSize() == 1 ? '|' : '<';
        StringBuilder shape = new StringBuilder("(");
        for (long s : dims.sizes()) {
            shape.append(s).append(", ");
        }
        if (dims.rank() > 1) {
            shape.setLength(shape.length() - 2);
        } else if (dims.rank() == 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(')');
        String dict = "{'descr': '" + order + code + "', 'fortran_order': False, 'shape': " + shape + ", }";
        boolean v2 = dict.length() + 11 > 65535;
        int prefix = v2 ? 12 : 10;
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        StringBuilder padded = new StringBuilder(dict);
        while (prefix + padded.length() + 1 < total) {
            padded.append(' ');
        }
        padded.append('\n');
        byte[] body = padded.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(v2 ? 2 : 1);
        out.write(0);
        ByteBuffer len = ByteBuffer.allocate(v2 ? 4 : 2).order(ByteOrder.LITTLE_ENDIAN);
        if (v2) {
            len.putInt(body.length);
        } else {
            len.putShort((short) body.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * A parser for the Python literals found in .npy headers: dicts, tuples, lists, strings,
     * integers, True, False and None. Written here because no kept Java library parses Python
     * literals without evaluating them.
     */
    private static final class PyLiteral {
        private static final int MAX_DEPTH = 16;
        private final String label;
        private final String s;
        private int i;

        PyLiteral(String label, String s) {
            this.label = label;
            this.s = s;
        }

        Object parseTop() {
            Object v = value(0);
            skipSpace();
            if (i != s.length()) {
                throw bad();
            }
            return v;
        }

        private CheckpointException bad() {
            return new CheckpointException(label, ".npy header is not a valid literal near offset " + i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw bad();
            }
            skipSpace();
            if (i >= s.length()) {
                throw bad();
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
                while (true) {
                    skipSpace();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return map;
                    }
                    Object key = value(depth + 1);
                    if (!(key instanceof String k)) {
                        throw bad();
                    }
                    skipSpace();
                    expect(':');
                    if (map.put(k, value(depth + 1)) != null) {
                        throw new CheckpointException(label, ".npy header repeats key '" + k + "'");
                    }
                    if (!separator('}')) {
                        i++;
                        return map;
                    }
                }
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> list = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (i < s.length() && s.charAt(i) == close) {
                        i++;
                        return list;
                    }
                    list.add(value(depth + 1));
                    if (!separator(close)) {
                        i++;
                        return list;
                    }
                }
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw bad();
                }
                String str = s.substring(i + 1, end);
                i = end + 1;
                return str;
            }
            if (Character.isDigit(c)) {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i < s.length() && s.charAt(i) == 'L') {
                    i++;
                    return parseLong(s.substring(start, i - 1));
                }
                return parseLong(s.substring(start, i));
            }
            for (String word : new String[] {"True", "False", "None"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("None") ? "None" : Boolean.valueOf(word.equals("True"));
                }
            }
            throw bad();
        }

        private Long parseLong(String digits) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new CheckpointException(label, ".npy header number " + digits + " overflows");
            }
        }

        /** Consumes a comma, or sees the closing bracket; false when the bracket was reached. */
        private boolean separator(char close) {
            skipSpace();
            if (i >= s.length()) {
                throw bad();
            }
            char c = s.charAt(i);
            if (c == ',') {
                i++;
                return true;
            }
            if (c == close) {
                return false;
            }
            throw bad();
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw bad();
            }
            i++;
        }
    }
}
