package dev.graft.model;

import java.util.Map;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.Set;

/** {@code nn.MaxPool2d} or {@code nn.AvgPool2d} with square kernel, stride and padding. */
public record Pool2dLayer(String name, boolean max, int kernel, int stride, int padding) implements LayerSpec {

    public static final LayerKind MAX = kind(true);
    public static final LayerKind AVG = kind(false);

    private static LayerKind kind(boolean max) {
        String keyword = max ? "maxpool2d" : "avgpool2d";
        return LayerKind.of(keyword, Set.of("kernel", "stride", "padding"), a -> {
            int k = a.positive("kernel");
            return new Pool2dLayer(a.name(), max, k, a.positive("stride", k), a.nonNegative("padding", 0));
        }, new LayerKind.Example("{type: " + keyword + ", kernel: 2}", 2, 4, 4),
                new LayerKind.Example("{type: " + keyword + ", kernel: 3, stride: 2, padding: 1}", 2, 5, 5));
    }

    public Map<String, Object> yaml() {
        return Yaml.args("kernel", kernel, "stride", stride == kernel ? null : stride,
                "padding", padding == 0 ? null : padding);
    }

    public String type() {
        return max ? "maxpool2d" : "avgpool2d";
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 3, path, type() + " needs input [C, H, W], got " + Arrays.toString(s));
        ctx.need(padding * 2 <= kernel, path, "padding must be at most half the kernel");
        ctx.need(s[1] + 2L * padding >= kernel && s[2] + 2L * padding >= kernel,
                path, "kernel " + kernel + " is larger than the input " + Arrays.toString(s));
        long h = (s[1] + 2L * padding - kernel) / stride + 1;
        long w = (s[2] + 2L * padding - kernel) / stride + 1;
        return new long[] {s[0], h, w};
    }

    /**
     * {@code MaxPool} or {@code AveragePool} with floor rounding ({@code ceil_mode} 0, as built); an
     * average counts the zero padding in its divisor ({@code count_include_pad} 1), as
     * {@code nn.AvgPool2d}'s default and the DJL block built here do.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        ExportContext.Attribute k = ExportContext.Attribute.ints("kernel_shape", kernel, kernel);
        ExportContext.Attribute s = ExportContext.Attribute.ints("strides", stride, stride);
        ExportContext.Attribute p = ExportContext.Attribute.ints("pads", padding, padding, padding, padding);
        ExportContext.Attribute ceil = ExportContext.Attribute.of("ceil_mode", 0);
        return max ? ctx.node(path, "MaxPool", java.util.List.of(in.name()), k, s, p, ceil)
                : ctx.node(path, "AveragePool", java.util.List.of(in.name()), k, s, p, ceil,
                        ExportContext.Attribute.of("count_include_pad", 1));
    }

    public Block build(String path, BuildContext ctx) {
        Shape k = new Shape(kernel, kernel);
        Shape s = new Shape(stride, stride);
        Shape pad = new Shape(padding, padding);
        return max ? Pool.maxPool2dBlock(k, s, pad, false) : Pool.avgPool2dBlock(k, s, pad, false, true);
    }
}
