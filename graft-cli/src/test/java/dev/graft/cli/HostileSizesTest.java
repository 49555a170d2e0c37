package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.DType;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.NpyHeader;
import dev.graft.checkpoint.NpzFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that claim or inflate to more than memory: bounded memory, one line, exit 2. */
class HostileSizesTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** An npz of a few hundred KB holding {@code arrays} deflated zero arrays of {@code mib} MiB each. */
    private Path zeroBomb(int arrays, long mib) throws IOException {
        Path f = dir.resolve("bomb.npz");
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (int a = 0; a < arrays; a++) {
                z.putNextEntry(new ZipEntry("w" + a + ".npy"));
                z.write(NpyHeader.encode(DType.F32, new Dims(mib * MIB / 4)));
                for (long m = 0; m < mib; m++) {
                    z.write(zeros);
                }
                z.closeEntry();
            }
        }
        return f;
    }

    /**
     * Before, {@code convert} read every tensor before writing any: three 128 MiB arrays needed
     * 384 MiB at once and a 300 MiB heap ended in OutOfMemoryError. Now it streams one at a time.
     */
    @Test
    void convertStreamsTensorsOneAtATimeInAHeapSmallerThanTheirSum() throws Exception {
        Path bomb = zeroBomb(3, 128);
        assertTrue(Files.size(bomb) < 4 * MIB, "the archive itself is small");
        Path out = dir.resolve("out.npz");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx300m", "-cp", System.getProperty("java.class.path"), "dev.graft.cli.Main",
                "convert", bomb.toString(), "--out", out.toString(), "--compress"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        try (NpzFile back = NpzFile.open(out)) {
            assertEquals(List.of("w0", "w1", "w2"), back.names());
            assertEquals(new Dims(128 * MIB / 4), back.info("w2").dims());
        }
    }

    @Test
    void aTensorOverTheConfiguredLimitIsExit2NamingTheFileAndTheEntry() throws IOException {
        Path bomb = zeroBomb(1, 8);
        Path out = dir.resolve("out.safetensors");
        String before = System.getProperty("graft.max_tensor_bytes");
        System.setProperty("graft.max_tensor_bytes", String.valueOf(4 * MIB));
        try {
            CommandLineTest.Run r = CommandLineTest.run("convert", bomb.toString(), "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(bomb + "!w0.npy: too large (8388608 bytes, limit 4194304"), r.err());
            assertFalse(Files.exists(out), "nothing half-written");
        } finally {
            if (before == null) {
                System.clearProperty("graft.max_tensor_bytes");
            } else {
                System.setProperty("graft.max_tensor_bytes", before);
            }
        }
    }
}
