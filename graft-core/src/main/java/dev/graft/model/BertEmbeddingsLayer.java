package dev.graft.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face's {@code BertEmbeddings}: word, position ({@code 0..L-1}) and token-type (type 0)
 * embeddings summed, then LayerNorm and dropout. Tensors, under the layer's name and in
 * {@code state_dict} order: {@code word_embeddings.weight [vocab, H]},
 * {@code position_embeddings.weight [max_positions, H]}, {@code token_type_embeddings.weight
 * [type_vocab, H]}, {@code LayerNorm.weight [H]}, {@code LayerNorm.bias [H]}. (HF's
 * {@code position_ids} buffer is not a parameter and is not declared: positions are always
 * {@code 0..L-1}.)
 *
 * <p>Input: one sample is {@code [L]} token ids held as floats (exact in float32 below 2^24),
 * already truncated and padded with {@code pad_id}; a token is real where its id is not
 * {@code pad_id}. Output: {@code [L, H + 1]}, the hidden states with that attention mask (1.0
 * real, 0.0 padding) appended as the last column. Why the mask rides inside the tensor: a sequence
 * then stays ONE tensor everywhere Graft moves samples (a batch of {@code Examples}, the prefix and
 * suffix of a {@link ModelSplit}, the frozen-prefix feature cache), so none of them needs to know
 * about masks; {@code bert_layer}, {@code token_pool} and {@code bert_pooler} read it there and
 * pass it on.
 *
 * <p>HF's {@code word_embeddings} has {@code padding_idx = pad_token_id}, which zeroes that row's
 * gradient. Here the row gets none either in any model whose output reads real tokens only (the
 * BERT layers mask padding keys to weight 0, the poolings read real tokens or position 0), so it
 * is not special-cased. Token ids outside {@code [0, vocab_size)} are refused in the forward pass
 * ({@link IllegalArgumentException}).
 */
public record BertEmbeddingsLayer(String name, int vocabSize, int hidden, int maxPositions, int typeVocab, double eps,
        int padId, double dropout) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("bert_embeddings",
            Set.of("vocab_size", "hidden", "max_positions", "type_vocab", "eps", "pad_id", "dropout"),
            BertEmbeddingsLayer::parse,
            new LayerKind.Example("{type: bert_embeddings, vocab_size: 11, hidden: 6, max_positions: 7, type_vocab: 3,"
                    + " eps: 1e-12, pad_id: 3, dropout: 0.1}", 5),
            new LayerKind.Example("{type: bert_embeddings, vocab_size: 5, hidden: 4, max_positions: 4}", 4));

    public BertEmbeddingsLayer {
        if (vocabSize <= 0 || hidden <= 0 || maxPositions <= 0 || typeVocab <= 0) {
            throw new IllegalArgumentException("bert_embeddings sizes must be positive");
        }
        if (!(eps > 0) || !(dropout >= 0 && dropout < 1) || padId < 0 || padId >= vocabSize) {
            throw new IllegalArgumentException("bert_embeddings: eps > 0, dropout in [0, 1), pad_id in [0, vocab_size)");
        }
    }

    private static BertEmbeddingsLayer parse(LayerArgs a) {
        int vocab = a.positive("vocab_size");
        double eps = a.number("eps", 1e-12);
        double p = a.number("dropout", 0.1);
        int pad = a.nonNegative("pad_id", 0);
        if (!(eps > 0)) {
            throw a.error("eps must be positive");
        }
        if (p < 0 || p >= 1) {
            throw a.error("dropout must be in [0, 1)");
        }
        if (pad >= vocab) {
            throw a.error("pad_id " + pad + " is not in the vocabulary [0, " + vocab + ")");
        }
        return new BertEmbeddingsLayer(a.name(), vocab, a.positive("hidden"), a.positive("max_positions"),
                a.positive("type_vocab", 2), eps, pad, p);
    }

    public Map<String, Object> yaml() {
        return Yaml.args("vocab_size", vocabSize, "hidden", hidden, "max_positions", maxPositions, "type_vocab",
                typeVocab, "eps", eps, "pad_id", padId, "dropout", dropout);
    }

    @Override
    public java.util.Optional<TokenInput> tokenInput() {
        return java.util.Optional.of(new TokenInput(vocabSize, padId));
    }

    public String type() {
        return KIND.keyword();
    }

    /**
     * True: the embeddings, with their LayerNorm, are the bottom layer group, as in BERT
     * fine-tuning's layer-wise decay.
     */
    @Override
    public boolean layerGroup() {
        return true;
    }

    @Override
    public BertEmbeddingsLayer withDropout(double p) {
        return new BertEmbeddingsLayer(name, vocabSize, hidden, maxPositions, typeVocab, eps, padId, p);
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        ctx.need(s.length == 1, path, "bert_embeddings needs token ids [length], got " + Arrays.toString(s));
        ctx.need(s[0] <= maxPositions, path, "sequences of " + s[0] + " tokens are longer than max_positions "
                + maxPositions + " (the model has no position embedding beyond " + (maxPositions - 1)
                + "); truncate them to at most " + maxPositions);
        String t = type();
        ctx.param(path + ".word_embeddings", t, ParamRole.WEIGHT, ParamInit.NORMAL_0_02, true, 0, vocabSize, hidden);
        ctx.param(path + ".position_embeddings", t, ParamRole.WEIGHT, ParamInit.NORMAL_0_02, true, 0, maxPositions,
                hidden);
        ctx.param(path + ".token_type_embeddings", t, ParamRole.WEIGHT, ParamInit.NORMAL_0_02, true, 0, typeVocab,
                hidden);
        ctx.param(path + ".LayerNorm", t, ParamRole.WEIGHT, ParamInit.ONES, false, 0, hidden);
        ctx.param(path + ".LayerNorm", t, ParamRole.BIAS, ParamInit.ZEROS, false, 0, hidden);
        // a sum of embedding rows: no unit layer's units flow on, and no later layer reads the input
        ctx.flow(new UnitFlow(java.util.List.of(), true, 1));
        return new long[] {s[0], hidden + 1};
    }

    /**
     * The same sums in ONNX ops: {@code Cast} of the float ids to int64 (truncating, as the forward
     * pass's conversion), {@code Gather} of the word rows, of position rows {@code 0..L-1} and of
     * token-type row 0, {@code LayerNormalization}, and the mask {@code ids != pad_id} as 1.0/0.0
     * {@code Concat}enated as the last column. The embedding tables stay float32 in every export. An
     * id outside the vocabulary is an error of the runtime's {@code Gather}, not a refusal of Graft's.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        long length = in.shape()[0];
        // Cast's "to" is a TensorProto.DataType code: 7 is INT64, 1 is FLOAT
        String ids = ctx.node(path, "Cast", List.of(in.name()), ExportContext.Attribute.of("to", 7));
        long[] positions = new long[(int) length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        String words = ctx.node(path + ".word_embeddings", "Gather", List.of(ctx.tensor(path + ".word_embeddings.weight"),
                ids));
        String place = ctx.node(path + ".position_embeddings", "Gather",
                List.of(ctx.tensor(path + ".position_embeddings.weight"), ctx.ints(positions)));
        String type = ctx.node(path + ".token_type_embeddings", "Gather",
                List.of(ctx.tensor(path + ".token_type_embeddings.weight"), ctx.intScalar(0)));
        String sum = ctx.node(path, "Add", List.of(ctx.node(path, "Add", List.of(words, place)), type));
        String states = TokenStates.layerNorm(path + ".LayerNorm", sum, eps, ctx);
        String real = ctx.node(path, "Not", List.of(ctx.node(path, "Equal", List.of(ids, ctx.intScalar(padId)))));
        String mask = ctx.node(path, "Unsqueeze", List.of(ctx.node(path, "Cast", List.of(real),
                ExportContext.Attribute.of("to", 1)), ctx.ints(2)));
        return ctx.node(path, "Concat", List.of(states, mask), ExportContext.Attribute.of("axis", 2));
    }

    public Block build(String path, BuildContext ctx) {
        EmbeddingsBlock b = new EmbeddingsBlock(this);
        ctx.parameters(b, path, "word", "word_embeddings.weight", "position", "position_embeddings.weight",
                "token_type", "token_type_embeddings.weight", "norm_weight", "LayerNorm.weight", "norm_bias",
                "LayerNorm.bias");
        return b;
    }

    private static final class EmbeddingsBlock extends AbstractBlock {
        private final BertEmbeddingsLayer spec;
        private final Parameter word;
        private final Parameter position;
        private final Parameter tokenType;
        private final Parameter normWeight;
        private final Parameter normBias;

        EmbeddingsBlock(BertEmbeddingsLayer spec) {
            this.spec = spec;
            word = addParameter(TokenStates.weight("word"));
            position = addParameter(TokenStates.weight("position"));
            tokenType = addParameter(TokenStates.weight("token_type"));
            normWeight = addParameter(TokenStates.scale("norm_weight"));
            normBias = addParameter(TokenStates.bias("norm_bias"));
        }

        @Override
        protected void prepare(Shape[] inputs) {
            word.setShape(new Shape(spec.vocabSize, spec.hidden));
            position.setShape(new Shape(spec.maxPositions, spec.hidden));
            tokenType.setShape(new Shape(spec.typeVocab, spec.hidden));
            normWeight.setShape(new Shape(spec.hidden));
            normBias.setShape(new Shape(spec.hidden));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long length = x.getShape().get(1);
            if (length > spec.maxPositions) {
                throw new IllegalArgumentException("sequences of " + length + " tokens are longer than max_positions "
                        + spec.maxPositions);
            }
            NDArray ids = x.toType(DataType.INT64, false);
            long low = ids.min().getLong();
            long high = ids.max().getLong();
            if (low < 0 || high >= spec.vocabSize) {
                throw new IllegalArgumentException("token id " + (low < 0 ? low : high) + " is outside the vocabulary [0, "
                        + spec.vocabSize + ")");
            }
            var device = x.getDevice();
            NDArray w = store.getValue(word, device, training);
            NDArray p = store.getValue(position, device, training);
            NDArray t = store.getValue(tokenType, device, training);
            NDArray positions = x.getManager().arange(0, (int) length, 1, DataType.INT64);
            NDArray e = Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow()
                    .add(Embedding.embedding(positions, p, SparseFormat.DENSE).singletonOrThrow())
                    .add(t.get(0));
            e = TokenStates.layerNorm(e, store.getValue(normWeight, device, training),
                    store.getValue(normBias, device, training), spec.eps);
            e = Dropout.dropout(e, (float) spec.dropout, training).singletonOrThrow();
            NDArray mask = ids.neq(spec.padId).toType(e.getDataType(), false).expandDims(2);
            return new NDList(TokenStates.join(e, mask));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(1), spec.hidden + 1)};
        }
    }
}
