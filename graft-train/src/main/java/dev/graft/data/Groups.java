package dev.graft.data;

import java.util.List;

/**
 * Each sample's group (a subpopulation the metrics are broken down by: footwear and clothing, a
 * site, a camera), by index into {@code names}. Immutable by convention, like {@link Examples}.
 *
 * @param names the group names, in the order reports list them
 * @param of the group index of each sample, in {@code [0, names.size())}
 */
public record Groups(List<String> names, int[] of) {

    /**
     * @throws IllegalArgumentException if there is no group, or an index is outside the names
     */
    public Groups {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no group names");
        }
        for (int g : of) {
            if (g < 0 || g >= names.size()) {
                throw new IllegalArgumentException("group " + g + " outside [0, " + names.size() + ")");
            }
        }
    }

    /** The groups of the samples at {@code indices}, in that order. */
    public Groups subset(int[] indices) {
        int[] out = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = of[indices[j]];
        }
        return new Groups(names, out);
    }

    /** This set's groups followed by {@code other}'s; both must name the same groups. */
    public Groups concat(Groups other) {
        if (!names.equals(other.names)) {
            throw new IllegalArgumentException("cannot join groups " + names + " and " + other.names);
        }
        int[] out = java.util.Arrays.copyOf(of, of.length + other.of.length);
        System.arraycopy(other.of, 0, out, of.length, other.of.length);
        return new Groups(names, out);
    }
}
