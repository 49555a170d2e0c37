package dev.graft.cli;

import dev.graft.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * One line saying where and with what a table was made (date, CPU, cores, OS, Java, Graft, DJL,
 * PyTorch), printed beside every comparison so that figures copied into a document carry it.
 */
final class MachineLine {
    private MachineLine() {}

    static String of(Provenance p) {
        String cpu = cpuModel().map(m -> m + ", ").orElse("");
        return String.format(Locale.ROOT, "made %s on %s%d cores, %s %s, Java %s; Graft %s, DJL %s, PyTorch %s",
                p.time().length() >= 10 ? p.time().substring(0, 10) : p.time(), cpu,
                Runtime.getRuntime().availableProcessors(), p.os(), p.arch(), p.java(), p.graftVersion(),
                p.djlVersion(), p.pytorchVersion());
    }

    /** The CPU's model name where the OS tells it (Linux), else empty. */
    private static Optional<String> cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " "));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
