package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.SafetensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API example in docs/ is compiled against the current code and run, so it cannot rot. */
class JavaApiExampleTest {
    @TempDir
    Path classes;

    /** Compiles docs/java-api/NAME.java (warnings are errors), runs its main and returns what it printed. */
    private String compileAndRun(String name, String... args) throws Exception {
        Path source = Path.of("..", "docs", "java-api", name + ".java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "-Xlint:all", "-Werror", source.toString());
        assertTrue(rc == 0, "the example compiles without warnings: " + diagnostics);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTransferExampleCompilesRunsAndLearns() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String out = compileAndRun("TransferAndFineTune", root.toString(), classes.resolve("model.safetensors")
                .toString());
        assertTrue(out.contains("features.0.weight") && out.contains("frozen"), out);
        Matcher m = Pattern.compile("test accuracy (0\\.\\d+)").matcher(out);
        assertTrue(m.find(), out);
        // five classes: chance is 0.2; the transferred trunk with 10 shots per class does far better
        assertTrue(Double.parseDouble(m.group(1)) > 0.5, out);
        Path model = classes.resolve("model.safetensors");
        assertTrue(Files.exists(model));
        try (SafetensorsFile f = SafetensorsFile.open(model)) {
            assertTrue(f.names().containsAll(List.of("features.0.weight", "classifier.4.bias",
                    "features.1.running_mean")), f.names().toString());
        }
    }

    @Test
    void theStudyExampleFindsTheOptimum() throws Exception {
        String out = compileAndRun("StudyExample");
        // the toy objective's optimum: lr 1.0, depth 3, adam (value 0.2); 30 trials of 24 points find it
        assertTrue(out.contains("tpe best: {lr=1.0, depth=3, optimizer=adam} value 0.2"), out);
        assertTrue(out.contains("annealing best: {lr=1.0, depth=3, optimizer=adam} value 0.2"), out);
    }
}
