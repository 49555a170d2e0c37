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

    /** The element-wise functions, each with PyTorch's definition. */
    public enum Function {
        RELU(Activation::relu),
        GELU(Activation::gelu),
        TANH(Activation::tanh),
        SIGMOID(Activation::sigmoid),
        /** {@code min(max(x, 0), 6)}. */
        RELU6(x -> x.clip(0, 6)),
        /** {@code x * sigmoid(x)}. */
        SILU(x -> x.mul(Activation.sigmoid(x))),
        /** {@code x * relu6(x + 3) / 6}. */
        HARDSWISH(x -> x.mul(x.add(3).clip(0, 6).div(Scalars.of(x, 6)))),
        /** {@code relu6(x + 3) / 6}. */
        HARDSIGMOID(x -> x.add(3).clip(0, 6).div(Scalars.of(x, 6))),
        /** {@code x}. */
        IDENTITY(x -> x);

        private final UnaryOperator<NDArray> f;

        Function(UnaryOperator<NDArray> f) {
            this.f = f;
        }

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public NDArray apply(NDArray x) {
            return f.apply(x);
        }

        /** The function of a keyword, if there is one. */
        public static java.util.Optional<Function> of(String keyword) {
            return Arrays.stream(values()).filter(v -> v.keyword().equals(keyword)).findFirst();
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

    public Block build(String path, BuildContext ctx) {
        return LambdaBlock.singleton(function::apply, type());
    }
}
