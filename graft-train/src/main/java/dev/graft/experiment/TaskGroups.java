package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.data.Groups;
import dev.graft.experiment.ExperimentConfig.GroupsSection;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns {@code data.groups} into each sample's group: from a CSV column, from the class, or from
 * the image's file name. Every rule is checked in full (each class or file in exactly one group),
 * because a sample silently left out, or counted twice, would bias the very numbers that are
 * meant to show a weak group. Stateless.
 */
final class TaskGroups {
    private TaskGroups() {}

    /**
     * Checks the section's shape against the data format: exactly one rule, and one the format has.
     *
     * @throws GraftInputException naming {@code where} (the {@code groups} key)
     */
    static void check(GroupsSection g, String format, DataFormat fmt, String where) {
        int given = (g.column() != null ? 1 : 0) + (g.byClass() != null ? 1 : 0) + (g.byFile() != null ? 1 : 0);
        if (given != 1) {
            throw new GraftInputException(where + ": give exactly one of column, by_class, by_file");
        }
        if (g.column() != null && !fmt.groupColumn()) {
            throw new GraftInputException(where + ".column: a group column needs format "
                    + String.join(", ", DataFormats.names(DataFormat::groupColumn)) + ", not " + format);
        }
        if (g.byFile() != null && !fmt.groupFiles()) {
            throw new GraftInputException(where + ".by_file: file-name globs need format "
                    + String.join(", ", DataFormats.names(DataFormat::groupFiles)) + ", not " + format);
        }
        Map<String, ?> map = g.byClass() != null ? g.byClass() : g.byFile();
        if (map != null && map.isEmpty()) {
            throw new GraftInputException(where + ": names no group");
        }
        if (map != null && map.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
            // a blank name would print as an empty cell in every table
            throw new GraftInputException(where + ": a group name is empty");
        }
    }

    /**
     * Groups from a column's values: the groups are the distinct values of both files, sorted, so
     * a group the test set alone has is still reported.
     *
     * @param poolValues the training file's group per row
     * @param testValues the test file's, or null
     */
    static Groups[] fromValues(List<String> poolValues, List<String> testValues) {
        TreeSet<String> all = new TreeSet<>(poolValues);
        if (testValues != null) {
            all.addAll(testValues);
        }
        List<String> names = List.copyOf(all);
        return new Groups[] {index(names, poolValues), testValues == null ? null : index(names, testValues)};
    }

    private static Groups index(List<String> names, List<String> values) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            ids.put(names.get(i), i);
        }
        return new Groups(names, values.stream().mapToInt(ids::get).toArray());
    }

    /**
     * Groups from file names: each file must match exactly one group's glob.
     *
     * @param files each sample's file name
     * @param folder the folder read, for the message
     * @throws GraftInputException if a file matches no glob, or two
     */
    static Groups byFile(Map<String, String> globs, List<String> files, Path folder, String where) {
        List<String> names = new ArrayList<>(globs.keySet());
        List<PathMatcher> matchers = new ArrayList<>();
        for (String name : names) {
            String glob = globs.get(name);
            if (glob == null || glob.isBlank()) {
                throw new GraftInputException(where + ".by_file." + name + ": give a file-name glob such as \"*_night.png\"");
            }
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (IllegalArgumentException e) {
                throw new GraftInputException(where + ".by_file." + name + ": not a valid glob: " + glob);
            }
        }
        int[] of = new int[files.size()];
        for (int i = 0; i < of.length; i++) {
            Path file = Path.of(files.get(i));
            int found = -1;
            for (int g = 0; g < matchers.size(); g++) {
                if (matchers.get(g).matches(file)) {
                    if (found >= 0) {
                        throw new GraftInputException(where + ".by_file: " + folder + ": file " + file
                                + " matches both '" + names.get(found) + "' and '" + names.get(g) + "'");
                    }
                    found = g;
                }
            }
            if (found < 0) {
                throw new GraftInputException(where + ".by_file: " + folder + ": file " + file
                        + " matches no group's glob " + globs);
            }
            of[i] = found;
        }
        return new Groups(names, of);
    }

    /**
     * Groups from classes: every class of {@code classNames} in exactly one group.
     *
     * @return the group of each class (indexed by class, not by sample); {@link #perSample} spreads it
     * @throws GraftInputException if a name is not a class, a class is in two groups or in none,
     *     or a group is empty
     */
    static Groups byClass(Map<String, List<String>> map, List<String> classNames, String where) {
        List<String> names = new ArrayList<>(map.keySet());
        int[] groupOf = new int[classNames.size()];
        java.util.Arrays.fill(groupOf, -1);
        for (int g = 0; g < names.size(); g++) {
            List<String> members = map.get(names.get(g));
            String key = where + ".by_class." + names.get(g);
            if (members == null || members.isEmpty()) {
                throw new GraftInputException(key + ": lists no class");
            }
            for (String m : members) {
                int c = classNames.indexOf(m);
                if (c < 0) {
                    throw new GraftInputException(key + ": '" + m + "' is not a class of the task (classes: "
                            + String.join(", ", classNames) + ")");
                }
                if (groupOf[c] >= 0) {
                    throw new GraftInputException(key + ": class '" + m + "' is already in group '"
                            + names.get(groupOf[c]) + "'");
                }
                groupOf[c] = g;
            }
        }
        for (int c = 0; c < groupOf.length; c++) {
            if (groupOf[c] < 0) {
                throw new GraftInputException(where + ".by_class: class '" + classNames.get(c)
                        + "' is in no group (every class must be in one)");
            }
        }
        return new Groups(names, groupOf);
    }

    /** Each sample of {@code set} in its class's group ({@code perClass} as {@link #byClass} returns it). */
    static Examples perSample(Groups perClass, Examples set) {
        int[] of = new int[set.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = perClass.of()[set.labels()[i]];
        }
        return set.withGroups(new Groups(perClass.names(), of));
    }
}
