package dev.graft.model;

import dev.graft.engine.Scalars;
import java.util.Map;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/** An element-wise activation without parameters; its keyword is its function's. */
public record ActivationLayer(String name, Function function) implements LayerSpec {

    /**
     * The element-wise functions, each with PyTorch's definition and its ONNX form: the same
     * arithmetic in opset 17's ops (HardSigmoid with PyTorch's {@code alpha = 1/6}, {@code beta = 1/2},
     * which ONNX's defaults are not).
     */
    public enum Function {
        RELU(Activation::relu, (path, x, ctx) -> ctx.node(path, "Relu", List.of(x))),
        /** The exact GELU, {@code x · ½ · (1 + erf(x / √2))} (torch's default {@code approximate='none'}). */
        GELU(Activation::gelu, Function::exactGelu),
        TANH(Activation::tanh, (path, x, ctx) -> ctx.node(path, "Tanh", List.of(x))),
        SIGMOID(Activation::sigmoid, (path, x, ctx) -> ctx.node(path, "Sigmoid", List.of(x))),
        /** {@code min(max(x, 0), 6)}. */
        RELU6(x -> x.clip(0, 6), (path, x, ctx) -> ctx.node(path, "Clip", List.of(x, ctx.scalar(0), ctx.scalar(6)))),
        /** {@code x * sigmoid(x)}. */
        SILU(x -> x.mul(Activation.sigmoid(x)),
                (path, x, ctx) -> ctx.node(path, "Mul", List.of(x, ctx.node(path, "Sigmoid", List.of(x))))),
        /** {@code x * relu6(x + 3) / 6}; ONNX's HardSwish (opset 14), {@code x · max(0, min(1, x/6 + 1/2))}. */
        HARDSWISH(x -> x.mul(x.add(3).clip(0, 6).div(Scalars.of(x, 6))), (path, x, ctx) -> ctx.node(path, "HardSwish", List.of(x))),
        /** {@code relu6(x + 3) / 6}; ONNX's {@code max(0, min(1, αx + β))} with α = 1/6, β = 1/2. */
        HARDSIGMOID(x -> x.add(3).clip(0, 6).div(Scalars.of(x, 6)), (path, x, ctx) -> ctx.node(path, "HardSigmoid", List.of(x),
                ExportContext.Attribute.real("alpha", 1.0 / 6), ExportContext.Attribute.real("beta", 0.5))),
        /** {@code x}. */
        IDENTITY(x -> x, (path, x, ctx) -> x);

        /** A function's ONNX nodes: input value {@code x} to the name of the output value. */
        @FunctionalInterface
        private interface Onnx {
            String export(String path, String x, ExportContext ctx);
        }

        private final UnaryOperator<NDArray> f;
        private final Onnx onnx;

        Function(UnaryOperator<NDArray> f, Onnx onnx) {
            this.f = f;
            this.onnx = onnx;
        }

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public NDArray apply(NDArray x) {
            return f.apply(x);
        }

        /**
         * Adds this function's nodes for the value {@code x} (any shape) under the layer {@code path}.
         *
         * @return the output value's name ({@code x} itself for the identity)
         */
        public String export(String path, String x, ExportContext ctx) {
            return onnx.export(path, x, ctx);
        }

        /** The function of a keyword, if there is one. */
        public static java.util.Optional<Function> of(String keyword) {
            return Arrays.stream(values()).filter(v -> v.keyword().equals(keyword)).findFirst();
        }

        /**
         * {@code x · ½ · (1 + erf(x / √2))} in ONNX ops, the order of {@link TokenStates#gelu}; opset 17
         * has no Gelu op (it came in opset 20).
         */
        private static String exactGelu(String path, String x, ExportContext ctx) {
            String erf = ctx.node(path, "Erf", List.of(ctx.node(path, "Div", List.of(x, ctx.scalar(Math.sqrt(2))))));
            String times = ctx.node(path, "Mul", List.of(x, ctx.node(path, "Add", List.of(erf, ctx.scalar(1)))));
            return ctx.node(path, "Mul", List.of(times, ctx.scalar(0.5)));
        }
    }

    /** One kind per function. */
    public static final List<LayerKind> KINDS = Arrays.stream(Function.values())
            .map(f -> LayerKind.of(f.keyword(), Set.of(), a -> new ActivationLayer(a.name(), f),
                    new LayerKind.Example("{type: " + f.keyword() + "}", 2, 3, 3)))
            .toList();

    public Map<String, Object> yaml() {
        return Map.of();
    }

    public String type() {
        return function.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return s;
    }

    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return function.export(path, in.name(), ctx);
    }

    public Block build(String path, BuildContext ctx) {
        return LambdaBlock.singleton(function::apply, type());
    }
}
