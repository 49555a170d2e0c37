package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code nn.AdaptiveAvgPool2d(output)}: output cell {@code i} of a dimension of size {@code n}
 * averages inputs {@code floor(i n / out)} to {@code ceil((i + 1) n / out)}, as PyTorch does.
 */
public record AdaptiveAvgPool2dLayer(String name, int outH, int outW) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("adaptiveavgpool2d", Set.of("output"), a -> {
        int[] o = a.positives("output", 2, -1);
        return new AdaptiveAvgPool2dLayer(a.name(), o[0], o[1]);
    }, new LayerKind.Example("{type: adaptiveavgpool2d, output: [3, 2]}", 2, 7, 5),
            new LayerKind.Example("{type: adaptiveavgpool2d, output: 1}", 2, 4, 4));

    public Map<String, Object> yaml() {
        return Yaml.args("output", outH == outW ? (Object) outH : java.util.List.of(outH, outW));
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 3, path, "adaptiveavgpool2d needs input [C, H, W], got " + Arrays.toString(s));
        return new long[] {s[0], outH, outW};
    }

    public Block build(String path, BuildContext ctx) {
        int oh = outH;
        int ow = outW;
        return LambdaBlock.singleton(x -> pool(pool(x, 2, oh), 3, ow), type());
    }

    /** Where cell {@code i} of {@code out} cells over {@code n} inputs starts: {@code floor(i n / out)}. */
    private static long cellStart(long i, long n, int out) {
        return Math.floorDiv(i * n, out);
    }

    /** Where cell {@code i} ends (exclusive): {@code ceil((i + 1) n / out)}; cells overlap when out does not divide n. */
    private static long cellEnd(long i, long n, int out) {
        return -Math.floorDiv(-(i + 1) * n, out);
    }

    /**
     * {@code GlobalAveragePool} for a 1×1 output; {@code AveragePool} when the output divides the
     * input (every cell then spans {@code n / out} inputs); otherwise each cell of each axis is a
     * {@code Slice} averaged by {@code ReduceMean}, and the cells {@code Concat}enated, as the forward
     * pass computes them.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        long[] s = in.shape();
        if (outH == 1 && outW == 1) {
            return ctx.node(path, "GlobalAveragePool", java.util.List.of(in.name()));
        }
        if (s[1] % outH == 0 && s[2] % outW == 0) {
            long kh = s[1] / outH;
            long kw = s[2] / outW;
            return kh == 1 && kw == 1 ? in.name() : ctx.node(path, "AveragePool", java.util.List.of(in.name()),
                    ExportContext.Attribute.ints("kernel_shape", kh, kw), ExportContext.Attribute.ints("strides", kh, kw));
        }
        return cells(path, cells(path, in.name(), 2, s[1], outH, ctx), 3, s[2], outW, ctx);
    }

    /** Axis {@code axis} (of the batch) of {@code x}, {@code n} long, averaged into {@code out} cells in ONNX ops. */
    private static String cells(String path, String x, int axis, long n, int out, ExportContext ctx) {
        if (n == out) {
            return x;
        }
        java.util.List<String> cells = new java.util.ArrayList<>();
        for (int i = 0; i < out; i++) {
            long from = cellStart(i, n, out);
            long to = cellEnd(i, n, out);
            String cell = from == 0 && to == n ? x
                    : ctx.node(path, "Slice", java.util.List.of(x, ctx.ints(from), ctx.ints(to), ctx.ints(axis)));
            // opset 17's ReduceMean takes its axes as an attribute (an input only from opset 18)
            cells.add(ctx.node(path, "ReduceMean", java.util.List.of(cell), ExportContext.Attribute.ints("axes", axis),
                    ExportContext.Attribute.of("keepdims", 1)));
        }
        return out == 1 ? cells.get(0) : ctx.node(path, "Concat", cells, ExportContext.Attribute.of("axis", axis));
    }

    /** Averages axis {@code axis} of {@code x} into {@code out} cells (rectangular cells are separable). */
    private static NDArray pool(NDArray x, int axis, int out) {
        long n = x.getShape().get(axis);
        if (n == out) {
            return x;
        }
        NDList cells = new NDList(out);
        for (int i = 0; i < out; i++) {
            long from = cellStart(i, n, out);
            long to = cellEnd(i, n, out);
            // a slice of the whole axis would come back as a copy cut off from autograd
            NDArray cell = from == 0 && to == n ? x
                    : x.get(new NDIndex(axis == 2 ? ":, :, {}:{}" : ":, :, :, {}:{}", from, to));
            cells.add(cell.mean(new int[] {axis}, true));
        }
        return out == 1 ? cells.get(0) : NDArrays.concat(cells, axis);
    }
}
