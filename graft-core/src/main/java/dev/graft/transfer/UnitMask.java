package dev.graft.transfer;

import dev.graft.checkpoint.Dims;
import java.util.List;
import java.util.Locale;

/**
 * A subset of a tensor's units. A plan's rule lists output units, rows of dimension 0
 * ({@code dim} 0, {@code block} 1); a rule naming attention heads becomes, on each tensor the heads
 * span, blocks of {@code head_size} rows (query, key, value) or columns ({@code dim} 1: the output
 * projection).
 *
 * @param units the unit indices, ascending and distinct
 * @param action whether only these units are transferred, or these units are frozen
 * @param dim the dimension the units index: 0 (rows) or 1 (columns)
 * @param block consecutive indices of {@code dim} per unit
 */
public record UnitMask(List<Integer> units, Action action, int dim, int block) {

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

    /**
     * @throws TransferException if the indices are not ascending, distinct and non-negative
     * @throws IllegalArgumentException if {@code dim} is not 0 or 1 or {@code block} is not positive
     */
    public UnitMask {
        units = List.copyOf(units);
        for (int i = 0; i < units.size(); i++) {
            if (units.get(i) < 0 || (i > 0 && units.get(i) <= units.get(i - 1))) {
                throw new TransferException("unit indices must be ascending, distinct and non-negative");
            }
        }
        if ((dim != 0 && dim != 1) || block <= 0) {
            throw new IllegalArgumentException("a unit mask indexes rows or columns in positive blocks");
        }
    }

    /** Output units: rows of dimension 0, one each (what a plan's {@code units} lists). */
    public UnitMask(List<Integer> units, Action action) {
        this(units, action, 0, 1);
    }

    /** The same units and action as blocks of {@code block} indices of dimension {@code dim}. */
    public UnitMask along(int dim, int block) {
        return new UnitMask(units, action, dim, block);
    }

    /** Whether unit {@code u} is listed. */
    public boolean contains(int u) {
        return java.util.Collections.binarySearch(units, u) >= 0;
    }

    /**
     * How many units a tensor of shape {@code dims} has (1 for a scalar).
     *
     * @throws IllegalArgumentException if the tensor has no dimension {@code dim}, or it is not a
     *     whole number of blocks
     */
    public int unitsIn(Dims dims) {
        if (dims.rank() == 0) {
            return 1;
        }
        if (dims.rank() <= dim || dims.get(dim) % block != 0) {
            throw new IllegalArgumentException("a tensor of shape " + dims + " has no units of " + block
                    + " along dimension " + dim);
        }
        return (int) (dims.get(dim) / block);
    }

    /**
     * Which elements of a row-major tensor of shape {@code dims} the listed units cover.
     *
     * @throws IllegalArgumentException if a listed unit lies beyond the tensor's units (see
     *     {@link #unitsIn})
     */
    public boolean[] covers(Dims dims) {
        int n = unitsIn(dims);
        if (!units.isEmpty() && units.get(units.size() - 1) >= n) {
            throw new IllegalArgumentException("unit " + units.get(units.size() - 1) + " of a tensor with " + n);
        }
        boolean[] out = new boolean[(int) dims.count()];
        if (dims.rank() == 0) {
            java.util.Arrays.fill(out, contains(0));
            return out;
        }
        long size = dims.get(dim);
        // row-major elements are (outer, index along dim, after): a unit is `block` indices of dim
        long after = 1;
        for (int a = dim + 1; a < dims.rank(); a++) {
            after *= dims.get(a);
        }
        long outer = size == 0 ? 0 : dims.count() / (size * after);
        for (int u : units) {
            for (long o = 0; o < outer; o++) {
                long from = (o * size + (long) u * block) * after;
                java.util.Arrays.fill(out, (int) from, (int) (from + block * after), true);
            }
        }
        return out;
    }
}
