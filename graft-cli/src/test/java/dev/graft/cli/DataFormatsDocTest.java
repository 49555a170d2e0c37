package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/data-formats.md against the shipped examples (issue 15): every {@code ./graft train} the
 * page shows runs as written, exits 0, learns its task, and prints the class and normalization
 * lines the page quotes. The examples are copied to a temporary folder first, so that their
 * output ({@code ../../graft-out}) lands there and not in the working tree.
 */
class DataFormatsDocTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    @Test
    void everyCommandOnThePageRunsAndPrintsWhatThePageSays() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/data-formats.md"));
        copy(ROOT.resolve("examples"), dir.resolve("examples"));
        Matcher cmd = Pattern.compile("(?m)^\\./graft train (examples/experiments/\\S+\\.yaml)$").matcher(page);
        List<String> run = new ArrayList<>();
        while (cmd.find()) {
            String exp = cmd.group(1);
            run.add(exp);
            CommandLineTest.Run r = CommandLineTest.run("train", dir.resolve(exp).toString());
            assertEquals(0, r.code(), exp + ": " + r.err());
            // the lines the page quotes for this command (the next ``` block after it)
            int block = page.indexOf("```\n", page.indexOf("```", cmd.end()) + 3);
            String quoted = page.substring(block + 4, page.indexOf("```", block + 4));
            int checked = 0;
            for (String line : quoted.lines().toList()) {
                if (line.startsWith("classes:") || line.startsWith("normalization:")) {
                    checked++;
                    assertTrue(r.out().lines().anyMatch(line::equals), exp + ": the page quotes '" + line + "', the run"
                            + " printed:\n" + r.out());
                }
            }
            assertEquals(2, checked, exp + ": the page quotes its classes and normalization lines");
            Matcher acc = Pattern.compile("test: accuracy (\\d\\.\\d+)").matcher(r.out());
            assertTrue(acc.find(), r.out());
            // three classes: chance is 0.33; both tasks are learnable well above it
            assertTrue(Double.parseDouble(acc.group(1)) >= 0.75, exp + ": " + r.out());
            String name = exp.substring(exp.lastIndexOf('/') + 1).replace(".yaml", "");
            JsonNode results = new ObjectMapper().readTree(dir.resolve("graft-out").resolve(name)
                    .resolve("train/scratch/results.json").toFile());
            assertEquals(3, results.path("class_names").size(), name);
        }
        assertEquals(List.of("examples/experiments/tiny-csv.yaml", "examples/experiments/tiny-folder.yaml"), run);
    }

    /** The examples tree without its checkpoints (megabytes the tiny examples do not read). */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !p.startsWith(from.resolve("checkpoints"))).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
