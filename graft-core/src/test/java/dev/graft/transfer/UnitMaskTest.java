package dev.graft.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graft.checkpoint.Dims;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which elements a unit mask covers, written out by hand for small shapes. */
class UnitMaskTest {
    static final boolean T = true;
    static final boolean F = false;

    @Test
    void outputUnitsAreWholeRowsOfAnyRank() {
        UnitMask m = new UnitMask(List.of(1), UnitMask.Action.FREEZE);
        // a conv weight [2, 2, 1, 2]: unit 1 is the second half
        assertArrayEquals(new boolean[] {F, F, F, F, T, T, T, T}, m.covers(new Dims(2, 2, 1, 2)));
        assertArrayEquals(new boolean[] {F, T, F}, m.covers(new Dims(3)));
        assertEquals(3, m.unitsIn(new Dims(3, 5)));
    }

    @Test
    void headsAreBlocksOfRowsOrOfColumns() {
        UnitMask head1 = new UnitMask(List.of(1), UnitMask.Action.FREEZE).along(0, 2);
        // query weight [4, 2] of 2 heads of 2 rows: head 1 is rows 2 and 3
        assertArrayEquals(new boolean[] {F, F, F, F, T, T, T, T}, head1.covers(new Dims(4, 2)));
        assertEquals(2, head1.unitsIn(new Dims(4, 2)));
        // output projection [2, 6] of 3 heads of 2 columns: heads 0 and 2 are columns 0, 1, 4, 5
        UnitMask cols = new UnitMask(List.of(0, 2), UnitMask.Action.TRANSFER).along(1, 2);
        assertArrayEquals(new boolean[] {T, T, F, F, T, T, T, T, F, F, T, T}, cols.covers(new Dims(2, 6)));
        assertThrows(IllegalArgumentException.class, () -> cols.covers(new Dims(2, 4)), "head 2 of 2");
        assertThrows(IllegalArgumentException.class, () -> cols.unitsIn(new Dims(2, 5)), "not whole heads");
        assertThrows(TransferException.class, () -> new UnitMask(List.of(2, 1), UnitMask.Action.FREEZE));
    }
}
