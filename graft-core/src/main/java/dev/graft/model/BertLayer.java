package dev.graft.model;

import dev.graft.engine.Scalars;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One Hugging Face {@code BertLayer} (post-LN): {@code h1 = LN(x + dropout(dense(attention(x))))},
 * {@code out = LN(h1 + dropout(output.dense(gelu(intermediate.dense(h1)))))}, on token states
 * {@code [L, H + 1]} (see {@link BertEmbeddingsLayer}); the mask column is passed on unchanged.
 * Attention has {@code heads} heads of {@code head_size} units (default {@code H / heads}), scores
 * scaled by {@code 1/√head_size}; a head size other than {@code H / heads} is what Hugging Face's
 * {@code prune_heads} leaves ({@code all_head_size = heads × head_size} query/key/value rows and
 * output-projection columns, hidden size unchanged). Padding keys get the dtype's most negative finite value added before
 * softmax (HF's {@code torch.finfo(dtype).min}), so they get weight 0 and a sequence's real tokens
 * never see its padding. GELU is the exact, erf-based one ({@code hidden_act: gelu}).
 *
 * <p>Tensors (nn.Linear {@code [out, in]} layout), in {@code state_dict} order:
 * {@code attention.self.query/key/value.{weight,bias}}, {@code attention.output.dense.{weight,bias}},
 * {@code attention.output.LayerNorm.{weight,bias}}, {@code intermediate.dense.{weight,bias}},
 * {@code output.dense.{weight,bias}}, {@code output.LayerNorm.{weight,bias}}.
 *
 * <p>Unit graph: the six linear layers are unit layers. Single rows of query, key and value cannot
 * move alone (a head's rows of all three go together), and both dense outputs are joined by their
 * residual additions, so unit surgery on them one by one is refused. The heads are
 * {@link SharedUnits} of {@code PATH.attention.self}: head h is its block of {@code head_size} rows
 * in query, key and value and of columns in {@code attention.output.dense}, so whole heads can be
 * selected or masked. {@code intermediate.dense} (whose units reach {@code output.dense} through the
 * element-wise GELU alone) may have its units selected or widened: the FFN's neurons.
 *
 * @param headSize units per head; empty for {@code H / heads}
 */
public record BertLayer(String name, int heads, int intermediate, double eps, double dropout,
        double attentionDropout, OptionalInt headSize) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("bert_layer",
            Set.of("heads", "intermediate", "eps", "dropout", "attention_dropout", "activation", "head_size"),
            BertLayer::parse,
            new LayerKind.Example("{type: bert_layer, heads: 2, intermediate: 6, eps: 1e-12, dropout: 0.1,"
                    + " attention_dropout: 0.1, activation: gelu, head_size: 3}", 5, 5),
            new LayerKind.Example("{type: bert_layer, heads: 1, intermediate: 3}", 3, 4));

    /** The module holding a layer's heads, as plans name them ({@code heads: PATH.attention.self}). */
    public static final String SELF_ATTENTION = "attention.self";

    private static final String NO_WIDENING = "net2wider does not add attention heads; Graft selects heads"
            + " (select_units) but never duplicates them";
    private static final String RESIDUAL = "a residual addition";
    /** The sub-modules' names under the layer, in state_dict order, each with its DJL parameter prefix. */
    private static final List<String> LINEARS = List.of("attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense");

    public BertLayer {
        if (heads <= 0 || intermediate <= 0 || !(eps > 0) || !(dropout >= 0 && dropout < 1)
                || !(attentionDropout >= 0 && attentionDropout < 1) || headSize.orElse(1) <= 0) {
            throw new IllegalArgumentException("bert_layer: heads, intermediate and head_size positive, eps > 0,"
                    + " dropouts in [0, 1)");
        }
    }

    /** A layer whose heads split the hidden size ({@code head_size = H / heads}), as every unpruned BERT. */
    public BertLayer(String name, int heads, int intermediate, double eps, double dropout, double attentionDropout) {
        this(name, heads, intermediate, eps, dropout, attentionDropout, OptionalInt.empty());
    }

    private static BertLayer parse(LayerArgs a) {
        String act = a.has("activation") ? a.text("activation").toLowerCase(Locale.ROOT) : "gelu";
        if (!act.equals("gelu")) {
            throw a.error("activation '" + act + "' is not supported: bert_layer computes BERT's exact (erf) gelu");
        }
        double eps = a.number("eps", 1e-12);
        double p = a.number("dropout", 0.1);
        double ap = a.number("attention_dropout", 0.1);
        if (!(eps > 0)) {
            throw a.error("eps must be positive");
        }
        if (p < 0 || p >= 1 || ap < 0 || ap >= 1) {
            throw a.error("dropout and attention_dropout must be in [0, 1)");
        }
        OptionalInt size = a.has("head_size") ? OptionalInt.of(a.positive("head_size")) : OptionalInt.empty();
        return new BertLayer(a.name(), a.positive("heads"), a.positive("intermediate"), eps, p, ap, size);
    }

    public Map<String, Object> yaml() {
        return Yaml.args("heads", heads, "intermediate", intermediate, "eps", eps, "dropout", dropout,
                "attention_dropout", attentionDropout, "head_size", headSize.isPresent() ? headSize.getAsInt() : null);
    }

    public String type() {
        return KIND.keyword();
    }

    /** True: an encoder layer is fine-tuned, frozen and decayed as one (as in BERT fine-tuning's layer-wise decay). */
    @Override
    public boolean layerGroup() {
        return true;
    }

    @Override
    public double dropout() {
        return Math.max(dropout, attentionDropout);
    }

    @Override
    public BertLayer withDropout(double p) {
        return new BertLayer(name, heads, intermediate, eps, p, p, headSize);
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        int h = TokenStates.hidden(type(), path, s, ctx);
        ctx.need(headSize.isPresent() || h % heads == 0, path, "hidden size " + h + " is not a multiple of heads "
                + heads + " (or give head_size)");
        int size = headSize.orElse(h / heads);
        int all = (int) ctx.elements(path, "heads × head_size", new long[] {heads, size});
        UnitFlow in = ctx.flow();
        String self = path + "." + SELF_ATTENTION;
        List<String> qkv = List.of(self + ".query", self + ".key", self + ".value");
        for (String l : qkv) {
            linear(l, all, h, ctx);
            ctx.flow(in);
            ctx.produces(l, all, false);
            ctx.flow(in);
        }
        ctx.joins(new UnitFlow(qkv, true, 1), "multi-head attention (move whole heads with a rule 'heads: "
                + self + "')");
        // the heads' outputs, concatenated in order, are what the output projection reads
        ctx.sharesUnits(self, "head", heads, size, qkv, Optional.of(NO_WIDENING));
        UnitFlow attended = dense(path + ".attention.output.dense", h, all, ctx);
        ctx.joins(attended, RESIDUAL);
        ctx.joins(in, RESIDUAL);
        ctx.flow(UnitFlow.sum(in, attended));
        norm(path + ".attention.output.LayerNorm", h, ctx);
        UnitFlow h1 = ctx.flow();
        dense(path + ".intermediate.dense", intermediate, h, ctx);
        UnitFlow out = dense(path + ".output.dense", h, intermediate, ctx);
        ctx.joins(out, RESIDUAL);
        ctx.flow(UnitFlow.sum(h1, out));
        norm(path + ".output.LayerNorm", h, ctx);
        return s;
    }

    /** Units per head for hidden size {@code h}. */
    int unitsPerHead(long h) {
        return headSize.isPresent() ? headSize.getAsInt() : (int) (h / heads);
    }

    private void linear(String layer, int out, int in, LayoutContext ctx) {
        ctx.param(layer, type(), ParamRole.WEIGHT, ParamInit.NORMAL_0_02, true, in, out, in);
        ctx.param(layer, type(), ParamRole.BIAS, ParamInit.ZEROS, false, in, out);
    }

    /** A linear layer reading the current flow; returns its units. */
    private UnitFlow dense(String layer, int out, int in, LayoutContext ctx) {
        linear(layer, out, in, ctx);
        ctx.produces(layer, out, false);
        return ctx.flow();
    }

    private void norm(String layer, int h, LayoutContext ctx) {
        ctx.param(layer, type(), ParamRole.WEIGHT, ParamInit.ONES, false, 0, h);
        ctx.param(layer, type(), ParamRole.BIAS, ParamInit.ZEROS, false, 0, h);
        ctx.mixesUnits(layer);
    }

    /**
     * The forward pass in ONNX ops: query, key and value as {@code MatMul}/{@code Add}, split into
     * heads by {@code Reshape} and {@code Transpose}; scores {@code q kᵀ / √head_size} plus
     * {@code (1 - mask) · lowest float} for padding keys; {@code Softmax} over the keys; the heads'
     * outputs joined back, the output dense, residual and {@code LayerNormalization}; then the FFN
     * with the exact GELU (via {@code Erf}), residual and LayerNorm; the mask column passed on.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        long h = in.shape()[1] - 1;
        long size = unitsPerHead(h);
        String self = path + "." + SELF_ATTENTION;
        String states = TokenStates.states(path, in, ctx);
        String column = TokenStates.maskColumn(path, in, ctx);
        String q = heads(self, TokenStates.linear(self + ".query", states, ctx), size, ctx, 0, 2, 1, 3);
        String kT = heads(self, TokenStates.linear(self + ".key", states, ctx), size, ctx, 0, 2, 3, 1);
        String v = heads(self, TokenStates.linear(self + ".value", states, ctx), size, ctx, 0, 2, 1, 3);
        // [B, L, 1] to [B, 1, 1, L] (Reshape's 0 keeps the batch), broadcast over heads and queries
        String keep = TokenStates.mask(self, column, ctx);
        String padding = ctx.node(self, "Reshape", List.of(ctx.node(self, "Mul", List.of(ctx.node(self, "Sub",
                List.of(ctx.scalar(1), keep)), ctx.scalar(TokenStates.lowest(ai.djl.ndarray.types.DataType.FLOAT32)))),
                ctx.ints(0, 1, 1, -1)));
        String scores = ctx.node(self, "Add", List.of(ctx.node(self, "Div", List.of(ctx.node(self, "MatMul",
                List.of(q, kT)), ctx.scalar(Math.sqrt(size)))), padding));
        String probs = ctx.node(self, "Softmax", List.of(scores), ExportContext.Attribute.of("axis", -1));
        String context = ctx.node(self, "Reshape", List.of(ctx.node(self, "Transpose", List.of(ctx.node(self, "MatMul",
                List.of(probs, v))), ExportContext.Attribute.ints("perm", 0, 2, 1, 3)), ctx.ints(0, 0, heads * size)));
        String attended = TokenStates.linear(path + ".attention.output.dense", context, ctx);
        String h1 = TokenStates.layerNorm(path + ".attention.output.LayerNorm",
                ctx.node(path + ".attention.output", "Add", List.of(attended, states)), eps, ctx);
        String inner = ActivationLayer.Function.GELU.export(path + ".intermediate",
                TokenStates.linear(path + ".intermediate.dense", h1, ctx), ctx);
        String out = TokenStates.linear(path + ".output.dense", inner, ctx);
        String h2 = TokenStates.layerNorm(path + ".output.LayerNorm", ctx.node(path + ".output", "Add",
                List.of(out, h1)), eps, ctx);
        return ctx.node(path, "Concat", List.of(h2, column), ExportContext.Attribute.of("axis", 2));
    }

    /** {@code [B, L, heads · size]} into heads, {@code [B, L, heads, size]} transposed by {@code perm}. */
    private String heads(String path, String x, long size, ExportContext ctx, long... perm) {
        return ctx.node(path, "Transpose", List.of(ctx.node(path, "Reshape", List.of(x, ctx.ints(0, 0, heads, size)))),
                ExportContext.Attribute.ints("perm", perm));
    }

    public Block build(String path, BuildContext ctx) {
        LayerBlock b = new LayerBlock(this);
        List<String> pairs = new java.util.ArrayList<>();
        for (String p : b.params.keySet()) {
            pairs.add(p);
            pairs.add(p.replace('/', '.'));
        }
        ctx.parameters(b, path, pairs.toArray(String[]::new));
        return b;
    }

    /** The layer's arithmetic; its DJL parameter names are the state_dict suffixes with '/' for '.'. */
    private static final class LayerBlock extends AbstractBlock {
        private final BertLayer spec;
        private final Map<String, Parameter> params = new LinkedHashMap<>();

        LayerBlock(BertLayer spec) {
            this.spec = spec;
            for (String l : LINEARS) {
                add(TokenStates.weight(key(l, "weight")));
                add(TokenStates.bias(key(l, "bias")));
                if (l.endsWith("output.dense")) {
                    String norm = l.substring(0, l.length() - "dense".length()) + "LayerNorm";
                    add(TokenStates.scale(key(norm, "weight")));
                    add(TokenStates.bias(key(norm, "bias")));
                }
            }
        }

        private static String key(String module, String suffix) {
            return (module + "." + suffix).replace('.', '/');
        }

        private void add(Parameter p) {
            params.put(p.getName(), addParameter(p));
        }

        @Override
        protected void prepare(Shape[] inputs) {
            long h = inputs[0].get(2) - 1;
            long i = spec.intermediate;
            long all = (long) spec.heads * spec.unitsPerHead(h);
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                String n = e.getKey();
                boolean weight = n.endsWith("/weight") && !n.contains("LayerNorm");
                long rows = n.startsWith("intermediate/") ? i : n.startsWith("attention/self/") ? all : h;
                long cols = n.startsWith("output/dense") ? i : n.startsWith("attention/output/dense") ? all : h;
                e.getValue().setShape(weight ? new Shape(rows, cols) : new Shape(rows));
            }
        }

        private NDArray p(ParameterStore store, Device device, boolean training, String module, String suffix) {
            return store.getValue(params.get(key(module, suffix)), device, training);
        }

        private NDArray linear(ParameterStore store, Device d, boolean training, String module, NDArray x) {
            return TokenStates.linear(x, p(store, d, training, module, "weight"), p(store, d, training, module, "bias"));
        }

        private NDArray norm(ParameterStore store, Device d, boolean training, String module, NDArray x) {
            return TokenStates.layerNorm(x, p(store, d, training, module, "weight"), p(store, d, training, module, "bias"),
                    spec.eps);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Device d = x.getDevice();
            NDArray states = TokenStates.states(x);
            long batch = x.getShape().get(0);
            long length = x.getShape().get(1);
            long size = spec.unitsPerHead(states.getShape().get(2));
            NDArray q = heads(linear(store, d, training, "attention.self.query", states), batch, length, size);
            NDArray k = heads(linear(store, d, training, "attention.self.key", states), batch, length, size);
            NDArray v = heads(linear(store, d, training, "attention.self.value", states), batch, length, size);
            // [B, heads, L, L]; padding keys (mask 0) get the lowest finite value added, as HF's extended mask
            NDArray padding = TokenStates.mask(x).neg().add(1).mul(TokenStates.lowest(x.getDataType()))
                    .reshape(batch, 1, 1, length);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Scalars.of(q, Math.sqrt(size))).add(padding);
            NDArray probs = Dropout.dropout(scores.softmax(-1), (float) spec.attentionDropout, training)
                    .singletonOrThrow();
            NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, spec.heads * size);
            NDArray attended = dropout(linear(store, d, training, "attention.output.dense", context), training);
            NDArray h1 = norm(store, d, training, "attention.output.LayerNorm", attended.add(states));
            NDArray inner = TokenStates.gelu(linear(store, d, training, "intermediate.dense", h1));
            NDArray out = dropout(linear(store, d, training, "output.dense", inner), training);
            NDArray h2 = norm(store, d, training, "output.LayerNorm", out.add(h1));
            return new NDList(TokenStates.join(h2, TokenStates.maskColumn(x)));
        }

        private NDArray dropout(NDArray x, boolean training) {
            return Dropout.dropout(x, (float) spec.dropout, training).singletonOrThrow();
        }

        /** {@code [B, L, H]} into {@code [B, heads, L, H / heads]}. */
        private NDArray heads(NDArray x, long batch, long length, long size) {
            return x.reshape(batch, length, spec.heads, size).transpose(0, 2, 1, 3);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }
}
