package dev.graft.transfer;

import dev.graft.checkpoint.Dims;

/**
 * A float tensor being transformed: shape plus row-major values. Operations return new values
 * and never modify their input.
 *
 * @param dims the shape
 * @param data the values, row-major
 */
record Values(Dims dims, float[] data) {

    /** Rows of dimension 0 picked by {@code rows}: output row j is input row rows[j]. */
    Values gatherRows(int[] rows) {
        int rowSize = (int) dims.rowSize();
        float[] out = new float[rows.length * rowSize];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(data, rows[j] * rowSize, out, j * rowSize, rowSize);
        }
        return new Values(dims.with(0, rows.length), out);
    }

    /**
     * Blocks of {@code block} rows picked by {@code units}: output block j is input rows
     * {@code units[j]·block .. units[j]·block + block - 1} (an attention head's rows of a query, key
     * or value weight or bias).
     */
    Values gatherRowBlocks(int[] units, int block) {
        int[] rows = new int[units.length * block];
        for (int j = 0; j < units.length; j++) {
            for (int b = 0; b < block; b++) {
                rows[j * block + b] = units[j] * block + b;
            }
        }
        return gatherRows(rows);
    }

    /** The L1 norm of each row of dimension 0 (the sum of absolute values), in double precision. */
    double[] rowL1() {
        int n = (int) dims.get(0);
        int rowSize = (int) dims.rowSize();
        double[] norm = new double[n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < rowSize; i++) {
                norm[r] += Math.abs(data[r * rowSize + i]);
            }
        }
        return norm;
    }

    /**
     * Indices of dimension 1 grouped in blocks of {@code block}: output block j is input block
     * units[j], multiplied by scale[j].
     */
    Values gatherColumns(int[] units, int block, float[] scale) {
        int d0 = (int) dims.get(0);
        int d1 = (int) dims.get(1);
        int inner = (int) (dims.rowSize() / d1);
        int newD1 = units.length * block;
        float[] out = new float[d0 * newD1 * inner];
        for (int r = 0; r < d0; r++) {
            for (int j = 0; j < units.length; j++) {
                for (int b = 0; b < block; b++) {
                    int src = ((r * d1) + units[j] * block + b) * inner;
                    int dst = ((r * newD1) + j * block + b) * inner;
                    for (int k = 0; k < inner; k++) {
                        out[dst + k] = data[src + k] * scale[j];
                    }
                }
            }
        }
        return new Values(dims.with(1, newD1), out);
    }

    /**
     * Copies the region where {@code this} and {@code base} overlap (from index 0 in every
     * dimension) into a copy of {@code base}; marks copied elements in {@code copied}.
     */
    Values overlapInto(Values base, boolean[] copied) {
        float[] out = base.data.clone();
        long[] src = dims.sizes();
        long[] dst = base.dims.sizes();
        long[] overlap = new long[src.length];
        long count = 1;
        for (int i = 0; i < src.length; i++) {
            overlap[i] = Math.min(src[i], dst[i]);
            count *= overlap[i];
        }
        if (count == 0) {
            return new Values(base.dims, out);
        }
        int[] idx = new int[src.length];
        while (true) {
            long s = 0;
            long d = 0;
            for (int i = 0; i < idx.length; i++) {
                s = s * src[i] + idx[i];
                d = d * dst[i] + idx[i];
            }
            out[(int) d] = data[(int) s];
            copied[(int) d] = true;
            int axis = idx.length - 1;
            while (axis >= 0 && ++idx[axis] == overlap[axis]) {
                idx[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return new Values(base.dims, out);
            }
        }
    }

    /** Folds input channels (dimension 1) of a weight into {@code target} channels, as timm does. */
    Values adaptChannels(int target, Transform.AdaptInputChannels.Mode mode) {
        int source = (int) dims.get(1);
        Transform.AdaptInputChannels.Mode m = mode;
        if (m == Transform.AdaptInputChannels.Mode.AUTO) {
            m = target == 1 ? Transform.AdaptInputChannels.Mode.SUM : Transform.AdaptInputChannels.Mode.REPEAT;
        }
        int d0 = (int) dims.get(0);
        int inner = (int) (dims.rowSize() / source);
        float[] out = new float[d0 * target * inner];
        if (m == Transform.AdaptInputChannels.Mode.SUM) {
            if (target != 1) {
                throw new TransferException("adapt_input_channels mode sum needs 1 target channel, got " + target);
            }
            for (int r = 0; r < d0; r++) {
                for (int c = 0; c < source; c++) {
                    for (int k = 0; k < inner; k++) {
                        out[r * inner + k] += data[(r * source + c) * inner + k];
                    }
                }
            }
        } else {
            float scale = (float) source / target;
            for (int r = 0; r < d0; r++) {
                for (int c = 0; c < target; c++) {
                    for (int k = 0; k < inner; k++) {
                        out[(r * target + c) * inner + k] = data[(r * source + c % source) * inner + k] * scale;
                    }
                }
            }
        }
        return new Values(dims.with(1, target), out);
    }
}
