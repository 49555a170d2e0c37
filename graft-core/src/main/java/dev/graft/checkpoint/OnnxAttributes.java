package dev.graft.checkpoint;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Reads the numbers of a node's {@code AttributeProto} (field numbers from {@code onnx.proto}):
 * {@code f} (2), {@code i} (3), a tensor {@code t} (5), {@code floats} (7) and {@code ints} (8),
 * packed or not. Strings, graphs and anything over {@link OnnxGraph#MAX_ATTRIBUTE_VALUES} values are
 * skipped unread, and a tensor whose type or storage is not a plain number list is left out, so an
 * odd attribute never makes a model unreadable. Stateless.
 */
final class OnnxAttributes {
    private OnnxAttributes() {}

    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
    private static final int MAX = OnnxGraph.MAX_ATTRIBUTE_VALUES;

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** Reads one length-delimited attribute and puts its numbers, if any, under its name. */
    static void read(CodedInputStream in, Map<String, double[]> out) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        String name = null;
        int type = 0;
        double[] f = null;
        double[] i = null;
        double[] t = null;
        Values floats = new Values();
        Values ints = new Values();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, LEN)) {
                name = in.readString();
            } else if (tag == tag(20, VARINT)) {
                type = in.readInt32();
            } else if (tag == tag(2, FIXED32)) {
                f = new double[] {in.readFloat()};
            } else if (tag == tag(3, VARINT)) {
                i = new double[] {in.readInt64()};
            } else if (tag == tag(5, LEN)) {
                t = tensor(in);
            } else if (tag == tag(7, FIXED32)) {
                floats.add(in.readFloat());
            } else if (tag == tag(7, LEN)) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    floats.add(in.readFloat());
                }
                in.popLimit(limit);
            } else if (tag == tag(8, VARINT)) {
                ints.add(in.readInt64());
            } else if (tag == tag(8, LEN)) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    ints.add(in.readInt64());
                }
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        // AttributeType: FLOAT 1, INT 2, TENSOR 4, FLOATS 6, INTS 7; without a type, what is there
        double[] v = switch (type) {
            case 1 -> f;
            case 2 -> i;
            case 4 -> t;
            case 6 -> floats.get();
            case 7 -> ints.get();
            case 0 -> t != null ? t : f != null ? f : i != null ? i : floats.get() != null ? floats.get() : ints.get();
            default -> null;
        };
        if (name != null && v != null) {
            out.put(name, v);
        }
    }

    /** A repeated field's values, dropped once there are too many to keep. */
    private static final class Values {
        private double[] v = new double[0];
        private int n;
        private boolean overflow;

        void add(double x) {
            if (n == MAX) {
                overflow = true;
                return;
            }
            if (n == v.length) {
                v = java.util.Arrays.copyOf(v, Math.max(4, n * 2));
            }
            v[n++] = x;
        }

        double[] get() {
            return overflow || n == 0 ? null : java.util.Arrays.copyOf(v, n);
        }
    }

    /**
     * A small numeric {@code TensorProto}'s values (float, double, int32, int64, in raw_data or
     * packed in their own field), or null when it is of another kind or too large.
     */
    private static double[] tensor(CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        long count = 1;
        int dataType = 0;
        byte[] raw = null;
        Values typed = new Values();
        boolean tooLarge = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, VARINT)) {
                long d = in.readInt64();
                count = d < 0 || count > MAX ? MAX + 1 : count * Math.min(d, MAX + 1L);
            } else if (tag == tag(2, VARINT)) {
                dataType = in.readInt32();
            } else if (tag == tag(9, LEN)) {
                int len = in.readRawVarint32();
                if (len < 0 || len > MAX * 8) {
                    tooLarge = true;
                    in.skipRawBytes(Math.max(len, 0));
                } else {
                    raw = in.readRawBytes(len);
                }
            } else if (tag == tag(4, LEN) || tag == tag(5, LEN) || tag == tag(7, LEN) || tag == tag(10, LEN)) {
                int field = WireFormat.getTagFieldNumber(tag);
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    typed.add(switch (field) {
                        case 4 -> in.readFloat();
                        case 10 -> in.readDouble();
                        default -> in.readInt64();
                    });
                }
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        if (tooLarge || count > MAX) {
            return null;
        }
        if (raw == null) {
            double[] v = typed.get();
            return v != null && v.length == count && (dataType == 1 || dataType == 6 || dataType == 7 || dataType == 11)
                    ? v : null;
        }
        int size = switch (dataType) {
            case 1, 6 -> 4;
            case 7, 11 -> 8;
            default -> 0;
        };
        if (size == 0 || raw.length != count * size) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[(int) count];
        for (int k = 0; k < count; k++) {
            out[k] = switch (dataType) {
                case 1 -> b.getFloat();
                case 6 -> b.getInt();
                case 7 -> b.getLong();
                default -> b.getDouble();
            };
        }
        return out;
    }
}
