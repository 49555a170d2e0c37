package dev.graft.model;

import dev.graft.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.Arrays;
import java.util.List;

/**
 * The token states that BERT's layer kinds pass on: a batch {@code [B, L, H + 1]}, the hidden
 * states {@code [B, L, H]} with the attention mask as the last column (1 for a real token, 0 for
 * padding; see {@link BertEmbeddingsLayer} for why the mask travels inside the tensor), and the
 * arithmetic the kinds share. Stateless; thread-safe.
 */
final class TokenStates {
    private TokenStates() {}

    /** Checks a layer's per-sample input {@code [L, H + 1]} and returns {@code H}. */
    static int hidden(String kind, String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 2 && s[1] >= 2, path, kind + " needs token states [length, hidden + 1] (hidden states"
                + " with the attention mask as last column, as bert_embeddings makes them), got " + Arrays.toString(s));
        return (int) (s[1] - 1);
    }

    /** The hidden states {@code [B, L, H]} of a batch {@code [B, L, H + 1]}. */
    static NDArray states(NDArray x) {
        long h = x.getShape().get(2) - 1;
        return x.get(new NDIndex(":, :, :{}", h));
    }

    /** The mask column {@code [B, L, 1]} as it came in (to pass on unchanged). */
    static NDArray maskColumn(NDArray x) {
        long h = x.getShape().get(2) - 1;
        return x.get(new NDIndex(":, :, {}:", h));
    }

    /**
     * The mask {@code [B, L]} as 1 (a real token) and 0 (padding): a value above 0.5 marks a real
     * token, so the mask is read the same way wherever it came from.
     */
    static NDArray mask(NDArray x) {
        long h = x.getShape().get(2) - 1;
        return x.get(new NDIndex(":, :, {}", h)).gt(0.5).toType(x.getDataType(), false);
    }

    /** Hidden states {@code [B, L, H]} with a mask column {@code [B, L, 1]} appended. */
    static NDArray join(NDArray states, NDArray maskColumn) {
        return states.concat(maskColumn.toType(states.getDataType(), false), 2);
    }

    /** {@code x Wᵀ + b} over the last axis, as {@code nn.Linear}. */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** {@code nn.LayerNorm(H, eps)} over the last axis. */
    static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)), weight, bias,
                (float) eps).singletonOrThrow();
    }

    /**
     * The exact GELU, {@code x · ½ · (1 + erf(x / √2))}: BERT's {@code hidden_act: gelu}, as
     * libtorch's {@code aten::gelu} (torch's default {@code approximate='none'}, which DJL's
     * PyTorch {@code Activation.gelu} calls; {@code TokenStatesTest} holds it to erf computed by hand,
     * so an engine whose gelu were the tanh approximation fails it). One fused operation forward and
     * one backward: written out in five element-wise operations, it cost MiniLM's training step about
     * 35 ms of 540 (issue 18's operator profile, bench/ops.sh).
     */
    static NDArray gelu(NDArray x) {
        return ai.djl.nn.Activation.gelu(x);
    }

    /**
     * The most negative finite value of {@code type}: what Hugging Face adds to the attention scores
     * of padding keys ({@code torch.finfo(dtype).min}), so that softmax gives them weight 0.
     */
    static double lowest(DataType type) {
        return type == DataType.FLOAT64 ? -Double.MAX_VALUE : type == DataType.FLOAT16 ? -65504.0 : -Float.MAX_VALUE;
    }

    /**
     * The hidden states {@code [B, L, H]} of token states {@code in} in ONNX ops: a {@code Slice} of
     * the last axis, as {@link #states(NDArray)}.
     */
    static String states(String path, ExportContext.Value in, ExportContext ctx) {
        long h = in.shape()[1] - 1;
        return ctx.node(path, "Slice", List.of(in.name(), ctx.ints(0), ctx.ints(h), ctx.ints(2)));
    }

    /** The mask column {@code [B, L, 1]} of token states {@code in} in ONNX ops, as {@link #maskColumn(NDArray)}. */
    static String maskColumn(String path, ExportContext.Value in, ExportContext ctx) {
        long h = in.shape()[1] - 1;
        return ctx.node(path, "Slice", List.of(in.name(), ctx.ints(h), ctx.ints(h + 1), ctx.ints(2)));
    }

    /** A mask column read as {@link #mask(NDArray)} does (above 0.5: a real token), as 1.0 and 0.0 of the same shape. */
    static String mask(String path, String column, ExportContext ctx) {
        // Cast's "to" is a TensorProto.DataType code: 1 is FLOAT
        return ctx.node(path, "Cast", List.of(ctx.node(path, "Greater", List.of(column, ctx.scalar(0.5)))),
                ExportContext.Attribute.of("to", 1));
    }

    /**
     * {@code x Wᵀ + b} over the last axis of {@code x} (any rank) in ONNX ops, as {@link #linear(NDArray,
     * NDArray, NDArray)}: {@code MatMul} with the transposed weight {@code module.weight}, then
     * {@code Add} of {@code module.bias}. The weight goes through {@link ExportContext#weight}, so it is
     * quantized when the export quantizes linear weights.
     */
    static String linear(String module, String x, ExportContext ctx) {
        String wt = ctx.node(module, "Transpose", List.of(ctx.weight(module + ".weight")),
                ExportContext.Attribute.ints("perm", 1, 0));
        return ctx.node(module, "Add", List.of(ctx.node(module, "MatMul", List.of(x, wt)), ctx.tensor(module + ".bias")));
    }

    /** {@code nn.LayerNorm(H, eps)} over the last axis in ONNX ops ({@code LayerNormalization}, opset 17). */
    static String layerNorm(String module, String x, double eps, ExportContext ctx) {
        return ctx.node(module, "LayerNormalization", List.of(x, ctx.tensor(module + ".weight"),
                ctx.tensor(module + ".bias")), ExportContext.Attribute.of("axis", -1),
                ExportContext.Attribute.real("epsilon", eps));
    }

    /** A parameter whose shape is set when its block is prepared. */
    static Parameter parameter(String name, Parameter.Type type, Initializer init) {
        return Parameter.builder().setName(name).setType(type).optInitializer(init).build();
    }

    /** A weight or embedding, initialized as Hugging Face's BERT does (normal, std 0.02). */
    static Parameter weight(String name) {
        return parameter(name, Parameter.Type.WEIGHT, new NormalInitializer(0.02f));
    }

    /** A bias or norm shift (zeros). */
    static Parameter bias(String name) {
        return parameter(name, Parameter.Type.BIAS, Initializer.ZEROS);
    }

    /** A norm scale (ones). */
    static Parameter scale(String name) {
        return parameter(name, Parameter.Type.GAMMA, Initializer.ONES);
    }
}
