package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutates small valid ONNX models (flipped, cut, inserted and appended bytes) and checks that
 * opening and reading them raises nothing but {@link CheckpointException}: no other exception,
 * no out-of-memory, whatever lengths and shapes the mutated bytes claim.
 */
class OnnxFuzzProperties {
    private static final List<byte[]> SEEDS = List.of(OnnxBytes.linear(), typed());

    private static byte[] typed() {
        byte[] longs = OnnxBytes.message(o -> OnnxBytes.io(() -> {
            o.writeInt64NoTag(3);
            o.writeInt64NoTag(-7);
        }));
        return OnnxBytes.model(OnnxBytes.graph(new byte[0][], new byte[][] {
            OnnxBytes.tensor("ids", 7, new long[] {2}, o -> OnnxBytes.io(() -> o.writeByteArray(7, longs))),
            OnnxBytes.tensor("h", 10, new long[] {1}, o -> OnnxBytes.io(() -> o.writeByteArray(5, new byte[] {1}))),
            OnnxBytes.tensor("f", 1, new long[] {1, 2}, o -> OnnxBytes.io(() -> o.writeByteArray(4, OnnxBytes.floats(1, 2)))),
        }));
    }

    @Provide
    Arbitrary<Long> seeds64() {
        return Arbitraries.longs();
    }

    @Property(tries = 1_000, seed = "20261129")
    void mutatedModelsRaiseOnlyCheckpointErrors(@ForAll("seeds64") long seed) {
        Random rnd = new Random(seed);
        byte[] b = SEEDS.get(rnd.nextInt(SEEDS.size())).clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            b = switch (rnd.nextInt(5)) {
                case 0, 1 -> flip(b, rnd);
                case 2 -> Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
                case 3 -> insert(b, rnd);
                default -> setVarint(b, rnd);
            };
        }
        try (OnnxFile f = OnnxFile.fromBytes("fuzz", ByteBuffer.wrap(b))) {
            for (String n : f.names()) {
                f.read(n).toFloats();
            }
        } catch (CheckpointException expected) {
            // the only acceptable failure
        } catch (Throwable t) {
            fail("seed " + seed + ": " + t, t);
        }
    }

    private static byte[] flip(byte[] b, Random rnd) {
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n && b.length > 0; i++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    private static byte[] insert(byte[] b, Random rnd) {
        int at = rnd.nextInt(b.length + 1);
        byte[] add = new byte[1 + rnd.nextInt(8)];
        rnd.nextBytes(add);
        byte[] c = new byte[b.length + add.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(add, 0, c, at, add.length);
        System.arraycopy(b, at, c, at + add.length, b.length - at);
        return c;
    }

    /** Overwrites bytes with a large varint: the lengths and dims a hostile file would claim. */
    private static byte[] setVarint(byte[] b, Random rnd) {
        if (b.length < 6) {
            return b;
        }
        int at = rnd.nextInt(b.length - 5);
        long v = rnd.nextBoolean() ? 1L << (20 + rnd.nextInt(43)) : rnd.nextLong();
        for (int i = 0; i < 5; i++) {
            b[at + i] = (byte) (i == 4 ? (v & 0x7F) : (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        return b;
    }
}
