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

    /** Averages axis {@code axis} of {@code x} into {@code out} cells (rectangular cells are separable). */
    private static NDArray pool(NDArray x, int axis, int out) {
        long n = x.getShape().get(axis);
        if (n == out) {
            return x;
        }
        NDList cells = new NDList(out);
        for (int i = 0; i < out; i++) {
            long from = Math.floorDiv(i * n, out);
            long to = -Math.floorDiv(-(i + 1) * n, out);
            // a slice of the whole axis would come back as a copy cut off from autograd
            NDArray cell = from == 0 && to == n ? x
                    : x.get(new NDIndex(axis == 2 ? ":, :, {}:{}" : ":, :, :, {}:{}", from, to));
            cells.add(cell.mean(new int[] {axis}, true));
        }
        return out == 1 ? cells.get(0) : NDArrays.concat(cells, axis);
    }
}
