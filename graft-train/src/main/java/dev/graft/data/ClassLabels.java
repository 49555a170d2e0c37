package dev.graft.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Labels as written in a file (CSV cells, JSON fields) turned into class indices, one rule for
 * every reader of named labels. Labels that are all whole numbers (digits only) are class
 * numbers {@code 0 .. largest}; otherwise each distinct label is a class, in sorted order. A file
 * read against a class list fixed elsewhere (the training file's) maps its labels onto that list
 * by name, never by its own order. Stateless.
 */
final class ClassLabels {
    /** Class numbers above this are refused: each class is a model output. */
    static final int MAX_CLASS_NUMBER = 65_535;

    private ClassLabels() {}

    /**
     * The labels' class indices and the class list.
     *
     * @param classes the class indices, one per label
     * @param names the class names in class order ("0", "1", ... for numbered labels)
     * @param numbered whether the labels were class numbers rather than names
     */
    record Mapped(int[] classes, List<String> names, boolean numbered) {}

    /**
     * Maps labels onto classes.
     *
     * @param labels the labels as written (trimmed, not empty)
     * @param lines each label's line in {@code file}, for messages
     * @param classes the class list fixed by training (a label of digits also matches its number
     *     without leading zeros), or null to derive it from these labels
     * @throws DataException "FILE: line N: label 'x' is not a training class (…)" for a label not
     *     in {@code classes}, or a class number above {@link #MAX_CLASS_NUMBER}
     */
    static Mapped map(List<String> labels, int[] lines, Path file, List<String> classes) {
        int n = labels.size();
        int[] y = new int[n];
        if (classes != null) {
            Map<String, Integer> ids = index(classes);
            for (int i = 0; i < n; i++) {
                String l = labels.get(i);
                Integer id = ids.get(l);
                if (id == null && l.matches("\\d+")) {
                    id = ids.get(l.replaceFirst("^0+(?=.)", ""));
                }
                if (id == null) {
                    throw new DataException(file + ": line " + lines[i] + ": label '" + l
                            + "' is not a training class " + preview(classes));
                }
                y[i] = id;
            }
            return new Mapped(y, List.copyOf(classes), false);
        }
        if (labels.stream().allMatch(l -> l.matches("\\d+"))) {
            int max = 0;
            for (int i = 0; i < n; i++) {
                String l = labels.get(i).replaceFirst("^0+(?=.)", "");
                if (l.length() > 5 || Integer.parseInt(l) > MAX_CLASS_NUMBER) {
                    throw new DataException(file + ": line " + lines[i] + ": class number " + l
                            + " is too large (at most " + MAX_CLASS_NUMBER + ")");
                }
                y[i] = Integer.parseInt(l);
                max = Math.max(max, y[i]);
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c <= max; c++) {
                names.add(String.valueOf(c));
            }
            return new Mapped(y, List.copyOf(names), true);
        }
        List<String> names = List.copyOf(new TreeSet<>(labels));
        Map<String, Integer> ids = index(names);
        for (int i = 0; i < n; i++) {
            y[i] = ids.get(labels.get(i));
        }
        return new Mapped(y, names, false);
    }

    /** The class list for a message: all of it when short. */
    static String preview(List<String> classes) {
        return "(" + (classes.size() <= 10 ? String.join(", ", classes)
                : String.join(", ", classes.subList(0, 10)) + ", … " + classes.size() + " in all") + ")";
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> ids = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            ids.put(names.get(c), c);
        }
        return ids;
    }
}
