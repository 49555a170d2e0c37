package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.fail;

import dev.graft.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutates valid safetensors files (bytes and header JSON) and checks that opening and reading
 * them raises nothing but {@link CheckpointException}: no other exception, no out-of-memory.
 */
class SafetensorsFuzzProperties {
    private static final List<byte[]> SEEDS = seeds();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final String[] DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8",
        "BOOL", "F8", "X", ""};
    private static final String[] NUMBERS = {"0", "-1", "1", "7", "8", "9223372036854775807",
        "9223372036854775808", "18446744073709551615", "4294967296", "2147483648", "1e3", "1.5", "null",
        "\"4\"", "[]", "{}"};

    private static List<byte[]> seeds() {
        try {
            List<byte[]> s = new ArrayList<>();
            s.add(Files.readAllBytes(Fixtures.file("dtypes.safetensors")));
            s.add(Files.readAllBytes(Fixtures.file("mlp.safetensors")));
            s.add(Files.readAllBytes(Fixtures.file("mlp.io.safetensors")));
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<Long> seeds64() {
        return Arbitraries.longs();
    }

    @Property(tries = 10_000, seed = "20261128")
    void mutatedFilesRaiseOnlyCheckpointErrors(@ForAll("seeds64") long seed) {
        Random rnd = new Random(seed);
        byte[] base = SEEDS.get(rnd.nextInt(SEEDS.size()));
        byte[] mutated = mutate(base, rnd);
        try (SafetensorsFile f = SafetensorsFile.fromBytes("fuzz", ByteBuffer.wrap(mutated))) {
            for (String n : f.names()) {
                Tensor t = f.read(n);
                if (t.dims().count() < 1_000_000) {
                    t.toFloats();
                }
            }
        } catch (CheckpointException expected) {
            // the only acceptable failure
        } catch (Throwable t) {
            fail("seed " + seed + ": " + t, t);
        }
    }

    static byte[] mutate(byte[] base, Random rnd) {
        byte[] b = base.clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            b = switch (rnd.nextInt(8)) {
                case 0 -> flipBytes(b, rnd);
                case 1 -> truncate(b, rnd);
                case 2 -> extend(b, rnd);
                case 3 -> setHeaderLength(b, rnd);
                case 4 -> editHeader(b, rnd, h -> replaceNumber(h, rnd));
                case 5 -> editHeader(b, rnd, h -> replaceDtype(h, rnd));
                case 6 -> editHeader(b, rnd, h -> spliceText(h, rnd));
                default -> editHeader(b, rnd, h -> deleteChars(h, rnd));
            };
        }
        return b;
    }

    private static byte[] flipBytes(byte[] b, Random rnd) {
        byte[] c = b.clone();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n && c.length > 0; i++) {
            int at = rnd.nextInt(Math.min(c.length, rnd.nextBoolean() ? 64 : c.length));
            c[at] = (byte) rnd.nextInt(256);
        }
        return c;
    }

    private static byte[] truncate(byte[] b, Random rnd) {
        return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
    }

    private static byte[] extend(byte[] b, Random rnd) {
        byte[] c = java.util.Arrays.copyOf(b, b.length + 1 + rnd.nextInt(16));
        for (int i = b.length; i < c.length; i++) {
            c[i] = (byte) rnd.nextInt(256);
        }
        return c;
    }

    private static byte[] setHeaderLength(byte[] b, Random rnd) {
        if (b.length < 8) {
            return b;
        }
        byte[] c = b.clone();
        long old = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long v = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextLong();
            case 1 -> old + rnd.nextInt(17) - 8;
            case 2 -> rnd.nextInt(c.length + 16);
            default -> 100_000_001L;
        };
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
        return c;
    }

    private static byte[] editHeader(byte[] b, Random rnd, java.util.function.UnaryOperator<String> edit) {
        if (b.length < 8) {
            return b;
        }
        long len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (len < 0 || len > b.length - 8) {
            return b;
        }
        String header = new String(b, 8, (int) len, StandardCharsets.UTF_8);
        byte[] edited = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + edited.length + (b.length - 8 - (int) len)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(edited.length).put(edited).put(b, 8 + (int) len, b.length - 8 - (int) len);
        return out.array();
    }

    private static String replaceNumber(String h, Random rnd) {
        Matcher m = NUMBER.matcher(h);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return h;
        }
        int[] s = spans.get(rnd.nextInt(spans.size()));
        String repl = rnd.nextBoolean() ? NUMBERS[rnd.nextInt(NUMBERS.length)]
                : String.valueOf(Long.parseLong(h.substring(s[0], s[1]).length() > 18 ? "0" : h.substring(s[0], s[1]))
                        + rnd.nextInt(9) - 4);
        return h.substring(0, s[0]) + repl + h.substring(s[1]);
    }

    private static String replaceDtype(String h, Random rnd) {
        int at = h.indexOf("\"dtype\":\"", rnd.nextInt(Math.max(1, h.length())));
        if (at < 0) {
            at = h.indexOf("\"dtype\":\"");
        }
        if (at < 0) {
            return h;
        }
        int start = at + 9;
        int end = h.indexOf('"', start);
        return end < 0 ? h : h.substring(0, start) + DTYPES[rnd.nextInt(DTYPES.length)] + h.substring(end);
    }

    private static String spliceText(String h, Random rnd) {
        if (h.isEmpty()) {
            return h;
        }
        int a = rnd.nextInt(h.length());
        int b = Math.min(h.length(), a + rnd.nextInt(40));
        int at = rnd.nextInt(h.length());
        return h.substring(0, at) + h.substring(a, b) + h.substring(at);
    }

    private static String deleteChars(String h, Random rnd) {
        if (h.isEmpty()) {
            return h;
        }
        int a = rnd.nextInt(h.length());
        int b = Math.min(h.length(), a + 1 + rnd.nextInt(6));
        return h.substring(0, a) + h.substring(b);
    }
}
