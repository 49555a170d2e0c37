package dev.graft.transfer;

import java.util.List;
import java.util.Locale;

/**
 * A subset of a tensor's output units (rows of dimension 0).
 *
 * @param units the unit indices, ascending and distinct
 * @param action whether only these units are transferred, or these units are frozen
 */
public record UnitMask(List<Integer> units, Action action) {

    /** What the mask does. */
    public enum Action {
        /** Only the listed units take source values; the others keep the target's initializer. */
        TRANSFER,
        /** All units are transferred; the listed ones are frozen while the rest fine-tune. */
        FREEZE,
        /**
         * Only the listed units take source values and they stay frozen; the others keep the
         * target's initializer and train (a layer partly transferred and kept).
         */
        TRANSFER_FREEZE;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public UnitMask {
        units = List.copyOf(units);
        for (int i = 0; i < units.size(); i++) {
            if (units.get(i) < 0 || (i > 0 && units.get(i) <= units.get(i - 1))) {
                throw new TransferException("unit indices must be ascending, distinct and non-negative");
            }
        }
    }

    /** Whether unit {@code u} is listed. */
    public boolean contains(int u) {
        return java.util.Collections.binarySearch(units, u) >= 0;
    }
}
