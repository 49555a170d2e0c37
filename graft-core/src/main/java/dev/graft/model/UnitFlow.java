package dev.graft.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The units flowing at one point of a network during shape inference: the unit layers that
 * produced them and how many input columns each unit has become (after a flatten).
 *
 * @param producers the unit layers whose units flow here (several after a residual sum)
 * @param summed whether the producers' units were added together (so no layer follows one alone)
 * @param block columns per unit
 */
public record UnitFlow(List<String> producers, boolean summed, int block) {

    /** Nothing produced yet: the network's input. */
    public static final UnitFlow INPUT = new UnitFlow(List.of(), false, 1);

    public UnitFlow {
        producers = List.copyOf(producers);
    }

    /** The units of one producer, fresh (one column per unit). */
    public static UnitFlow of(String producer) {
        return new UnitFlow(List.of(producer), false, 1);
    }

    /** The element-wise sum of two flows. */
    public static UnitFlow sum(UnitFlow a, UnitFlow b) {
        List<String> p = new ArrayList<>(a.producers);
        b.producers.stream().filter(x -> !p.contains(x)).forEach(p::add);
        return new UnitFlow(p, true, 1);
    }

    /** The one producer whose units flow here unmixed, if there is exactly one. */
    public java.util.Optional<String> single() {
        return producers.size() == 1 && !summed ? java.util.Optional.of(producers.get(0)) : java.util.Optional.empty();
    }

    /** This flow with each unit spread over {@code columns} more columns. */
    public UnitFlow times(int columns) {
        return new UnitFlow(producers, summed, block * columns);
    }
}
