package dev.graft.checkpoint;

import static org.junit.jupiter.api.Assertions.fail;

import dev.graft.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Mutated .npz archives raise nothing but {@link CheckpointException}. */
class NpzFuzzProperties {
    private static byte[] stored;
    private static Path file;

    @BeforeContainer
    static void load() throws IOException {
        stored = Files.readAllBytes(Fixtures.file("mixed.npz"));
        file = Files.createTempFile("graft-fuzz", ".npz");
    }

    @AfterContainer
    static void clean() throws IOException {
        Files.deleteIfExists(file);
    }

    @net.jqwik.api.Example
    void undecodableEntryNameFoundByFuzzing() throws IOException {
        mutatedArchivesRaiseOnlyCheckpointErrors(96555L);
    }

    @Property(tries = 3_000, seed = "20261128")
    void mutatedArchivesRaiseOnlyCheckpointErrors(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        byte[] b = stored.clone();
        int flips = 1 + rnd.nextInt(6);
        for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        if (rnd.nextInt(5) == 0) {
            b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
        }
        Files.write(file, b);
        try (WeightStore f = Checkpoints.open(file)) {
            for (String n : f.names()) {
                f.read(n).toFloats();
            }
        } catch (CheckpointException expected) {
            // the only acceptable failure
        } catch (Throwable t) {
            fail("seed " + seed + ": " + t, t);
        }
    }
}
