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
        return new UnitMapping(n, top(weight.rowL1(), k), ones(k), "select_units " + k + "/" + n + " by L1");
    }

    /**
     * The {@code k} source units of the highest {@code score} (ties to the lower index), in their
     * original order.
     *
     * @param description how the scores were made, for reports
     */
    static UnitMapping select(double[] score, int k, String description) {
        return new UnitMapping(score.length, top(score, k), ones(k), description);
    }

    /** The same mapping, described as {@code description} in reports. */
    UnitMapping described(String description) {
        return new UnitMapping(sourceUnits, sourceUnit, columnScale, description);
    }

    private static int[] top(double[] score, int k) {
        return IntStream.range(0, score.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(r -> -score[r]).thenComparingInt(r -> r))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static float[] ones(int k) {
        float[] ones = new float[k];
        Arrays.fill(ones, 1f);
        return ones;
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
