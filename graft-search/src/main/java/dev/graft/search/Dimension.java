package dev.graft.search;

import java.util.List;

/**
 * One gene of a search space: a finite list of choices. Ordinal dimensions have an order that
 * samplers may use (neighbours, Parzen windows over positions); categorical ones do not. A
 * dimension with one choice is fixed.
 *
 * @param name the gene's name, such as {@code features.0.decision} or {@code base_lr}
 * @param choices the values, in order; at least one
 * @param ordinal whether the order of the choices means something
 */
public record Dimension(String name, List<Object> choices, boolean ordinal) {

    public Dimension {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("dimension '" + name + "' has no choices");
        }
    }

    public int size() {
        return choices.size();
    }

    public boolean fixed() {
        return choices.size() == 1;
    }

    public static Dimension categorical(String name, List<?> choices) {
        return new Dimension(name, List.copyOf(choices), false);
    }

    public static Dimension ordinal(String name, List<?> choices) {
        return new Dimension(name, List.copyOf(choices), true);
    }
}
