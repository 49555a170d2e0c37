package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.model.SpecParser;
import dev.graft.transfer.PlanCodec;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/yaml-reference.md against the code: every key documented, nothing documented that is not a key. */
class YamlReferenceTest {
    static final Path DOC = Path.of("..", "docs", "yaml-reference.md");
    private static final Pattern KEY = Pattern.compile("^\\| `([a-z0-9_]+)` \\|");

    /** Marker → the rows of the table under it (first column's key → the whole row). */
    static Map<String, Map<String, String>> tables() throws IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(DOC);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = Pattern.compile("<!-- keys: ([A-Za-z.]+) -->").matcher(lines.get(i));
            if (m.find()) {
                Map<String, String> rows = new LinkedHashMap<>();
                for (int j = i + 3; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                    Matcher k = KEY.matcher(lines.get(j));
                    assertTrue(k.find(), "a key row under " + m.group(1) + ": " + lines.get(j));
                    assertTrue(rows.put(k.group(1), lines.get(j)) == null, "listed twice: " + k.group(1));
                }
                out.put(m.group(1), rows);
            }
        }
        return out;
    }

    static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    /** Every record type an experiment file binds to, reached from ExperimentConfig. */
    static Map<String, Set<String>> experimentKeys() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        walk(ExperimentConfig.class, out);
        return out;
    }

    private static void walk(Class<?> record, Map<String, Set<String>> out) {
        if (out.containsKey(record.getSimpleName())) {
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        out.put(record.getSimpleName(), keys);
        for (RecordComponent c : record.getRecordComponents()) {
            keys.add(snake(c.getName()));
            for (Class<?> nested : records(c.getGenericType())) {
                walk(nested, out);
            }
        }
    }

    private static List<Class<?>> records(Type t) {
        List<Class<?>> out = new ArrayList<>();
        if (t instanceof Class<?> c && c.isRecord()) {
            out.add(c);
        } else if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                out.addAll(records(a));
            }
        }
        return out;
    }

    @Test
    void everyExperimentKeyIsDocumentedAndNothingElse() throws IOException {
        Map<String, Map<String, String>> doc = tables();
        Map<String, Set<String>> code = experimentKeys();
        assertEquals(37, code.size(), "record types reached: " + code.keySet());
        for (Map.Entry<String, Set<String>> e : code.entrySet()) {
            assertTrue(doc.containsKey(e.getKey()), "no table for " + e.getKey());
            assertEquals(new TreeSet<>(e.getValue()), new TreeSet<>(doc.get(e.getKey()).keySet()), e.getKey());
        }
    }

    @Test
    void everyPlanAndSpecKeyIsDocumentedAndNothingElse() throws IOException {
        Map<String, Map<String, String>> doc = tables();
        for (Map.Entry<String, Set<String>> e : PlanCodec.KEYS.entrySet()) {
            assertEquals(new TreeSet<>(e.getValue()), new TreeSet<>(doc.get("plan." + e.getKey()).keySet()),
                    "plan." + e.getKey());
        }
        assertEquals(new TreeSet<>(SpecParser.SPEC_KEYS), new TreeSet<>(doc.get("spec.spec").keySet()));
        assertEquals(new TreeSet<>(SpecParser.LAYER_KEYS), new TreeSet<>(doc.get("spec.layer").keySet()));
        Map<String, String> types = doc.get("spec.types");
        assertEquals(new TreeSet<>(SpecParser.KEYS.keySet()), new TreeSet<>(types.keySet()));
        for (Map.Entry<String, Set<String>> e : SpecParser.KEYS.entrySet()) {
            String own = types.get(e.getKey()).split("\\|")[2];
            Set<String> listed = new TreeSet<>();
            Matcher m = Pattern.compile("`([a-z_]+)`").matcher(own);
            while (m.find()) {
                listed.add(m.group(1));
            }
            assertEquals(new TreeSet<>(e.getValue()), listed, e.getKey());
        }
        Set<String> expected = new TreeSet<>(experimentKeys().keySet());
        PlanCodec.KEYS.keySet().forEach(k -> expected.add("plan." + k));
        expected.addAll(List.of("spec.spec", "spec.layer", "spec.types"));
        assertEquals(expected, new TreeSet<>(doc.keySet()), "no table for something that does not exist");
    }

    @Test
    void theExamplesOnThePageParse() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(Files.readString(DOC));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertEquals(6, blocks.size());
        ExperimentConfig c = ExperimentLoader.parse("experiment example", blocks.get(0));
        assertEquals(List.of(5, 10), c.shots());
        ExperimentConfig groups = ExperimentLoader.parse("groups example", blocks.get(1));
        assertEquals(List.of("sneaker", "ankle-boot"), groups.data().groups().byClass().get("footwear"));
        ExperimentConfig text = ExperimentLoader.parse("text example", blocks.get(2));
        assertEquals(128, text.data().text().maxLength());
        assertEquals(4, PlanCodec.parse("plan example", blocks.get(3)).rules().size());
        dev.graft.transfer.TransferPlan heads = PlanCodec.parse("heads example", blocks.get(4));
        assertEquals(dev.graft.transfer.TransferRule.Scope.HEADS, heads.rules().get(0).scope());
        assertEquals(4, heads.rules().size());
        assertEquals("small-cnn", SpecParser.parse("spec example", blocks.get(5)).name());
    }
}
