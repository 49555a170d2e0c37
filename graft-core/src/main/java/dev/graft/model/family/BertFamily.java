package dev.graft.model.family;

import dev.graft.checkpoint.Dims;
import dev.graft.model.BertEmbeddingsLayer;
import dev.graft.model.BertLayer;
import dev.graft.model.BertPoolerLayer;
import dev.graft.model.DropoutLayer;
import dev.graft.model.LayerSpec;
import dev.graft.model.LinearLayer;
import dev.graft.model.ModelSpec;
import dev.graft.model.SequentialLayer;
import dev.graft.model.TokenPoolLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code bert} family: a Hugging Face {@code BertModel} encoder with a classifier, generated
 * from a {@link BertConfig}. Unlike the torchvision {@link Family}s its sizes are not fixed by its
 * name but read from a config, so it is not in {@link Families}; it is built here.
 *
 * <p>Module tree, with {@code BertModel}'s exact tensor names (so that a BERT checkpoint, or an
 * ONNX export such as all-MiniLM-L6-v2, loads one to one): {@code embeddings}
 * ({@code bert_embeddings}), {@code encoder.layer.N} ({@code bert_layer}, N = 0..layers-1), then
 * {@code pooler} ({@code bert_pooler}) or {@code pool} (a {@code token_pool}, no tensors),
 * {@code dropout} ({@code hidden_dropout_prob}) and {@code classifier} (linear H → classes), the
 * head. Each of these is a leaf of the tree, so a model split (the frozen-prefix cache) can cut
 * between any two of them. Input: {@code [L]} token ids; see {@link BertEmbeddingsLayer}.
 * Stateless; thread-safe.
 */
public final class BertFamily {
    private BertFamily() {}

    /** The family's name, as an experiment's {@code model.family} writes it. */
    public static final String NAME = "bert";

    /** The classifier layer. */
    public static final String HEAD = "classifier";

    /** The sequence length {@code L} when none is given (BERT fine-tuning's common 128). */
    public static final int DEFAULT_LENGTH = 128;

    /** How the sequence becomes one vector for the classifier. */
    public enum Pooling {
        /** The mean of the real tokens' final states (as sentence-transformers, all-MiniLM-L6-v2). */
        MEAN,
        /** The final state of the first token, {@code [CLS]}. */
        CLS,
        /** HF's {@code BertPooler}: {@code tanh(dense([CLS]))}, as {@code BertForSequenceClassification}. */
        POOLER;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The pooling of a keyword, if there is one. */
        public static Optional<Pooling> of(String keyword) {
            return Arrays.stream(values()).filter(p -> p.keyword().equals(keyword)).findFirst();
        }

        /** The keywords, for messages. */
        public static String keywords() {
            return String.join(", ", Arrays.stream(values()).map(Pooling::keyword).toList());
        }
    }

    /**
     * The spec of a BERT classifier.
     *
     * @param source where the config came from, for error messages
     * @param length the sequence length {@code L} of one sample (at most {@code maxPositions})
     * @throws IllegalArgumentException if {@code classes} or {@code length} is not positive
     */
    public static ModelSpec spec(BertConfig c, int classes, Pooling pooling, int length, String source) {
        if (classes <= 0 || length <= 0) {
            throw new IllegalArgumentException("bert: classes and length must be positive, got " + classes + " and "
                    + length);
        }
        List<LayerSpec> top = new ArrayList<>(encoder(c));
        top.add(pooling == Pooling.POOLER ? new BertPoolerLayer("pooler")
                : new TokenPoolLayer("pool", pooling == Pooling.CLS ? TokenPoolLayer.Mode.CLS : TokenPoolLayer.Mode.MEAN));
        top.add(new DropoutLayer("dropout", c.hiddenDropout()));
        top.add(new LinearLayer(HEAD, classes, true));
        return new ModelSpec(NAME, source, new Dims(length), new SequentialLayer("", top), Optional.of(HEAD));
    }

    /**
     * {@code embeddings} and {@code encoder}: token ids {@code [L]} to token states
     * {@code [L, H + 1]}, {@code BertModel}'s {@code last_hidden_state} with the mask column.
     */
    public static List<LayerSpec> encoder(BertConfig c) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new BertLayer(String.valueOf(i), c.heads(), c.intermediate(), c.eps(), c.hiddenDropout(),
                    c.attentionDropout()));
        }
        return List.of(new BertEmbeddingsLayer("embeddings", c.vocabSize(), c.hidden(), c.maxPositions(), c.typeVocab(),
                c.eps(), c.padId(), c.hiddenDropout()),
                new SequentialLayer("encoder", List.of(new SequentialLayer("layer", layers))));
    }
}
