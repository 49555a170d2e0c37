package dev.graft.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns texts into the samples of a text task: token ids of a Hugging Face {@code tokenizer.json}
 * (its normalizer, pre-tokenizer, model and post-processor, so BERT's lowercasing and
 * {@code [CLS] … [SEP]}), truncated to {@code maxLength} and padded to it with the tokenizer's pad
 * id. A sample is a float vector of shape {@code [maxLength]}; ids below 2^24 are exact in float32.
 * The model reads the attention mask as id ≠ {@link #padId()}.
 *
 * <p>Tokenization runs in DJL's native tokenizers library, which this class loads from the
 * tokenizers jar in offline mode: nothing is downloaded. The file is read once, and the
 * tokenizer is built from its bytes alone, so a {@code tokenizer_config.json} beside it changes
 * nothing and {@link #sha256()} names exactly what tokenized. Not thread-safe; close it to free
 * the native tokenizer.
 */
public final class TextTokenizer implements AutoCloseable {
    /** The most token ids a sample may have: BERT-like models take 512, long-context ones a few thousand. */
    public static final int MAX_LENGTH = 1 << 16;

    /** The largest tokenizer.json read; real ones are a few MB. */
    private static final long MAX_FILE_BYTES = 1L << 30;

    /** Ids at or above this are not exact in float32 and would name another token. */
    private static final long EXACT_FLOAT_IDS = 1L << 24;

    static {
        // DJL picks a CUDA build of the library and downloads it unless offline; the jar's CPU build is enough
        System.setProperty("ai.djl.offline", "true");
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final String sha256;
    private final int maxLength;
    private final int padId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path file, String sha256, int maxLength, int padId) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.sha256 = sha256;
        this.maxLength = maxLength;
        this.padId = padId;
    }

    /**
     * Opens a tokenizer.json.
     *
     * @param file a Hugging Face {@code tokenizer.json}
     * @param maxLength the token ids per sample, special tokens included, in [2, {@link #MAX_LENGTH}]
     * @throws DataException "FILE: …" if the file is missing, unreadable, not a tokenizer.json, or
     *     names no pad token (a {@code padding.pad_id}, or a {@code [PAD]} or {@code <pad>} token)
     * @throws IllegalArgumentException if {@code maxLength} is out of range
     * @throws IllegalStateException if DJL's native tokenizers library cannot be loaded
     */
    public static TextTokenizer open(Path file, int maxLength) {
        if (maxLength < 2 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("max_length must be in [2, " + MAX_LENGTH + "], got " + maxLength);
        }
        byte[] bytes = read(file);
        int padId = padId(file, bytes);
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "maxLength", String.valueOf(maxLength),
                // DJL cuts max_length down to this (512 by default) with no more than a log line
                "modelMaxLength", String.valueOf(maxLength),
                // padded here, with the pad id read above: DJL's choice would depend on its fallbacks
                "padding", "false");
        try {
            LibUtils.checkStatus();
        } catch (EngineException e) {
            // not the file's fault: the library is extracted under ~/.djl.ai (or DJL_CACHE_DIR) on first use
            throw new IllegalStateException("cannot load DJL's tokenizers native library: " + firstLine(e)
                    + (e.getCause() == null ? "" : " (" + firstLine(e.getCause()) + ")"), e);
        }
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), options);
        } catch (IOException | RuntimeException e) {
            // the native library's message names the JSON position ("expected value at line 1 column 1")
            throw new DataException(file + ": not a tokenizer.json (" + firstLine(e) + ")");
        }
        return new TextTokenizer(t, file, sha256(bytes), maxLength, padId);
    }

    /**
     * One text's sample: its token ids, truncated and padded to {@link #maxLength()}.
     *
     * @param text any text; an empty one gives the special tokens alone ({@code [CLS] [SEP]})
     * @throws DataException if a token id is not exact as a float (at or above 2^24)
     */
    public Encoded encode(String text) {
        Encoding e = tokenizer.encode(text, true, false);
        long[] ids = e.getIds();
        float[] out = new float[maxLength];
        java.util.Arrays.fill(out, padId);
        int n = Math.min(ids.length, maxLength);
        for (int i = 0; i < n; i++) {
            if (ids[i] < 0 || ids[i] >= EXACT_FLOAT_IDS) {
                throw new DataException(file + ": token id " + ids[i] + " is not exact as a float (at most 2^24)");
            }
            out[i] = ids[i];
        }
        return new Encoded(out, n, e.exceedMaxLength() || ids.length > maxLength);
    }

    /**
     * A text's token ids.
     *
     * @param ids the sample, {@code [maxLength]}: the ids, then the pad id
     * @param tokens how many ids are tokens (special tokens included), the rest being padding
     * @param truncated whether the text had more tokens than fit
     */
    public record Encoded(float[] ids, int tokens, boolean truncated) {}

    /** The tokenizer.json read. */
    public Path file() {
        return file;
    }

    /** The SHA-256 of the tokenizer.json's bytes, lowercase hex. */
    public String sha256() {
        return sha256;
    }

    /** Token ids per sample. */
    public int maxLength() {
        return maxLength;
    }

    /** The id padding fills with; the model masks the positions that hold it. */
    public int padId() {
        return padId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * The SHA-256 of a file, lowercase hex, as {@link #sha256()} would give for it.
     *
     * @throws DataException if the file is missing or unreadable
     */
    public static String sha256(Path file) {
        return sha256(read(file));
    }

    private static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new DataException(file + ": is a folder; give the tokenizer.json file itself");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new DataException(file + ": too large for a tokenizer.json (over 1 GB)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The pad id: {@code padding.pad_id} when the file sets padding (as Hugging Face does), else
     * the id of an added {@code [PAD]} or {@code <pad>} token.
     */
    private static int padId(Path file, byte[] bytes) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new DataException(file + ": not a tokenizer.json (not JSON: " + firstLine(e) + ")");
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new DataException(file + ": not a tokenizer.json (no 'model' object)");
        }
        JsonNode padding = root.path("padding");
        if (padding.path("pad_id").canConvertToInt()) {
            return padding.path("pad_id").intValue();
        }
        for (JsonNode token : root.path("added_tokens")) {
            String content = token.path("content").asText();
            if ((content.equals("[PAD]") || content.equals("<pad>")) && token.path("id").canConvertToInt()) {
                return token.path("id").intValue();
            }
        }
        throw new DataException(file + ": names no pad token (no padding.pad_id, no [PAD] or <pad> among "
                + "added_tokens); a text task pads every text to max_length");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
