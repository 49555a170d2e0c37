package dev.graft.transfer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How a target layer's units come from a source layer's: target unit j copies source unit
 * {@code sourceUnit[j]}; the consumer's input columns from unit j are multiplied by
 * {@code columnScale[j]}.
 *
 * @param sourceUnits units in the source layer
 * @param sourceUnit for each target unit, its source unit
 * @param columnScale for each target unit, the factor on its outgoing weights
 * @param description how the mapping was made, for reports
 */
record UnitMapping(int sourceUnits, int[] sourceUnit, float[] columnScale, String description) {

    /** The {@code k} source rows with the largest L1 norm, in their original order. */
    static UnitMapping selectByL1(Values weight, int k) {
        int n = (int) weight.dims().get(0);
        int rowSize = (int) weight.dims().rowSize();
        double[] norm = new double[n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < rowSize; i++) {
                norm[r] += Math.abs(weight.data()[r * rowSize + i]);
            }
        }
        int[] chosen = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(r -> -norm[r]).thenComparingInt(r -> r))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
        float[] ones = new float[k];
        Arrays.fill(ones, 1f);
        return new UnitMapping(n, chosen, ones, "select_units " + k + "/" + n + " by L1");
    }

    /**
     * Net2WiderNet: units beyond the source's replicate random source units; each copy's outgoing
     * weights are divided by the number of copies of its source unit.
     */
    static UnitMapping widen(int sourceUnits, int targetUnits, SplittableRandom rng) {
        int[] map = new int[targetUnits];
        int[] copies = new int[sourceUnits];
        for (int j = 0; j < targetUnits; j++) {
            map[j] = j < sourceUnits ? j : rng.nextInt(sourceUnits);
            copies[map[j]]++;
        }
        float[] scale = new float[targetUnits];
        for (int j = 0; j < targetUnits; j++) {
            scale[j] = 1f / copies[map[j]];
        }
        return new UnitMapping(sourceUnits, map, scale, "net2wider " + sourceUnits + "->" + targetUnits);
    }
}
