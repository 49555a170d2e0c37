package dev.graft.checkpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which attributes of each TorchScript class are state: the {@code __parameters__} and
 * {@code __buffers__} lists that {@code torch.jit.save} writes at the top of every class in
 * {@code code/}. Only those two lines are read (as text, never run), so that plain tensor
 * attributes, which {@code state_dict()} leaves out, are left out here too.
 */
final class StateDeclarations {
    private static final Pattern CLASS = Pattern.compile("^class ([A-Za-z_][A-Za-z0-9_]*)\\(");
    private static final Pattern LIST = Pattern.compile("^\\s+__(parameters|buffers)__ = \\[(.*)]\\s*$");
    private static final Pattern NAME = Pattern.compile("\"([^\"]*)\"");
    private static final long MAX_SOURCE_BYTES = 16L << 20;

    private final Map<String, List<String>> state;

    private StateDeclarations(Map<String, List<String>> state) {
        this.state = state;
    }

    /**
     * Reads every {@code .py} file under {@code codeFolder} in the archive.
     *
     * @throws CheckpointException if a source file is too large to be TorchScript's own
     */
    static StateDeclarations read(Path path, ZipFile zip, String codeFolder) {
        Map<String, List<String>> state = new HashMap<>();
        List<? extends ZipEntry> sources = zip.stream()
                .filter(e -> e.getName().startsWith(codeFolder) && e.getName().endsWith(".py")).toList();
        for (ZipEntry e : sources) {
            String module = e.getName().substring(codeFolder.length(), e.getName().length() - 3).replace('/', '.');
            String text = new String(TorchScriptFile.readAll(path, zip, e.getName(), MAX_SOURCE_BYTES),
                    StandardCharsets.UTF_8);
            String current = null;
            for (String line : text.split("\n")) {
                Matcher c = CLASS.matcher(line);
                if (c.find()) {
                    current = module + "." + c.group(1);
                    state.putIfAbsent(current, new ArrayList<>());
                    continue;
                }
                Matcher l = LIST.matcher(line);
                if (current != null && l.find()) {
                    Matcher n = NAME.matcher(l.group(2));
                    while (n.find()) {
                        state.get(current).add(n.group(1));
                    }
                }
            }
        }
        return new StateDeclarations(state);
    }

    /**
     * The state attribute names of a class, or null when its source is absent (then every tensor
     * attribute counts as state).
     */
    List<String> stateOf(String className) {
        return state.get(className);
    }
}
