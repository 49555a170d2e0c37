package dev.graft.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.model.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sizes and settings of a BERT encoder (Hugging Face's {@code BertConfig}), read from a
 * {@code config.json} or off an ONNX export of the model ({@link BertOnnxConfig}).
 *
 * @param hidden {@code hidden_size}: H, the width of every token state
 * @param layers {@code num_hidden_layers}
 * @param heads {@code num_attention_heads} (H is a multiple of it)
 * @param intermediate {@code intermediate_size}: the feed-forward width
 * @param vocabSize {@code vocab_size}
 * @param maxPositions {@code max_position_embeddings}: the longest sequence the model takes
 * @param typeVocab {@code type_vocab_size}
 * @param eps {@code layer_norm_eps}
 * @param hiddenDropout {@code hidden_dropout_prob} (also the classifier's dropout, as HF's
 *     {@code BertForSequenceClassification} without {@code classifier_dropout})
 * @param attentionDropout {@code attention_probs_dropout_prob}
 * @param padId {@code pad_token_id}: the id that marks padding
 */
public record BertConfig(int hidden, int layers, int heads, int intermediate, int vocabSize, int maxPositions,
        int typeVocab, double eps, double hiddenDropout, double attentionDropout, int padId) {

    /**
     * @throws IllegalArgumentException if a size is not positive, H is not a multiple of the heads,
     *     eps is not positive, a dropout is outside [0, 1) or the pad id outside the vocabulary
     */
    public BertConfig {
        String bad = problem(hidden, layers, heads, intermediate, vocabSize, maxPositions, typeVocab, eps,
                hiddenDropout, attentionDropout, padId);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    private static String problem(int hidden, int layers, int heads, int intermediate, int vocabSize,
            int maxPositions, int typeVocab, double eps, double hiddenDropout, double attentionDropout, int padId) {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || intermediate <= 0 || vocabSize <= 0 || maxPositions <= 0
                || typeVocab <= 0) {
            return "sizes must be positive";
        }
        if (hidden % heads != 0) {
            return "hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads;
        }
        if (!(eps > 0)) {
            return "layer_norm_eps must be positive";
        }
        if (!(hiddenDropout >= 0 && hiddenDropout < 1) || !(attentionDropout >= 0 && attentionDropout < 1)) {
            return "dropout probabilities must be in [0, 1)";
        }
        if (padId < 0 || padId >= vocabSize) {
            return "pad_token_id " + padId + " is not in the vocabulary [0, " + vocabSize + ")";
        }
        return null;
    }

    /**
     * The config of {@code file}: an ONNX export (recognized by its content) or a Hugging Face
     * {@code config.json}.
     *
     * @throws SpecException naming the file and what is missing or not supported
     */
    public static BertConfig read(Path file) {
        if (looksLikeJson(file)) {
            return fromJson(file);
        }
        try {
            return BertOnnxConfig.read(file);
        } catch (dev.graft.checkpoint.CheckpointException e) {
            throw new SpecException("a BERT config is a Hugging Face config.json (a JSON object) or an ONNX export,"
                    + " and this is neither: " + e.getMessage());
        }
    }

    /** Whether the file's first non-blank byte opens a JSON object (and it is not named *.onnx). */
    private static boolean looksLikeJson(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".onnx")) {
            return false;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int b;
            do {
                b = in.read();
            } while (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xEF || b == 0xBB || b == 0xBF);
            return b == '{';
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read the BERT config: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
    }

    /**
     * A Hugging Face {@code config.json}. HF's defaults apply to absent optional keys
     * ({@code type_vocab_size} 2, {@code layer_norm_eps} 1e-12, dropouts 0.1, {@code pad_token_id}
     * 0). {@code hidden_act} must be {@code gelu}, {@code model_type} (if given) {@code bert} and
     * {@code position_embedding_type} (if given) {@code absolute}: Graft computes exactly that network.
     *
     * @throws SpecException if the file is missing, not JSON, lacks a size, or asks for another network
     */
    public static BertConfig fromJson(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read the BERT config: " + e.getMessage());
        }
        return parseJson(file.toString(), text);
    }

    /** As {@link #fromJson}, from text; {@code label} names it in errors. */
    public static BertConfig parseJson(String label, String text) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpecException(label + ": not a JSON config: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new SpecException(label + ": a Hugging Face config.json is a JSON object");
        }
        Json j = new Json(label, n);
        j.only("model_type", "bert", "Graft's bert family is Hugging Face's BertModel");
        j.only("hidden_act", "gelu", "bert_layer computes the exact (erf) GELU only");
        j.only("position_embedding_type", "absolute", "bert_embeddings has absolute position embeddings only");
        int hidden = j.integer("hidden_size", -1);
        int heads = j.integer("num_attention_heads", -1);
        int vocab = j.integer("vocab_size", -1);
        int pad = j.integer("pad_token_id", 0);
        double eps = j.number("layer_norm_eps", 1e-12);
        double hd = j.number("hidden_dropout_prob", 0.1);
        double ad = j.number("attention_probs_dropout_prob", 0.1);
        int layers = j.integer("num_hidden_layers", -1);
        int inter = j.integer("intermediate_size", -1);
        int positions = j.integer("max_position_embeddings", -1);
        int types = j.integer("type_vocab_size", 2);
        String bad = problem(hidden, layers, heads, inter, vocab, positions, types, eps, hd, ad, pad);
        if (bad != null) {
            throw new SpecException(label + ": " + bad);
        }
        return new BertConfig(hidden, layers, heads, inter, vocab, positions, types, eps, hd, ad, pad);
    }

    /** Typed reads of one config object, with errors naming the file and the key. */
    private record Json(String label, JsonNode node) {
        int integer(String key, int fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                if (fallback < 0) {
                    throw new SpecException(label + ": missing '" + key + "' (a BERT config.json has it)");
                }
                return fallback;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                throw new SpecException(label + ": '" + key + "' must be a non-negative integer, got " + v);
            }
            return v.intValue();
        }

        double number(String key, double fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber()) {
                throw new SpecException(label + ": '" + key + "' must be a number, got " + v);
            }
            return v.doubleValue();
        }

        void only(String key, String allowed, String why) {
            JsonNode v = node.get(key);
            if (v != null && !v.isNull() && !allowed.equals(v.asText())) {
                throw new SpecException(label + ": " + key + " '" + v.asText() + "' is not supported, only '" + allowed
                        + "' (" + why + ")");
            }
        }
    }
}
