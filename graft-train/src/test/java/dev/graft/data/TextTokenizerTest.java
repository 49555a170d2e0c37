package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer against bert-base-uncased's published ids (all-MiniLM-L6-v2 ships its WordPiece
 * vocabulary and normalizer): "hello world" is [CLS] 7592 2088 [SEP], padded with [PAD] = 0.
 */
class TextTokenizerTest {
    @TempDir
    Path dir;

    /** The real tokenizer.json of all-MiniLM-L6-v2, copied out of its test-scope jar. */
    static Path miniLm(Path dir) throws IOException {
        Path f = dir.resolve("tokenizer.json");
        try (InputStream in = TextTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test classpath");
            }
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    /** A word's id in the file's own vocabulary: a truth the native tokenizer does not compute. */
    static int vocab(Path tokenizerJson, String word) throws IOException {
        JsonNode id = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab").path(word);
        assertTrue(id.isInt(), word + " is in the vocabulary");
        return id.intValue();
    }

    private static float[] padded(int length, int... ids) {
        float[] out = new float[length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Test
    void helloWorldIsBertBaseUncasedsIds() throws IOException {
        try (TextTokenizer t = TextTokenizer.open(miniLm(dir), 8)) {
            TextTokenizer.Encoded e = t.encode("hello world");
            assertArrayEquals(padded(8, 101, 7592, 2088, 102), e.ids());
            assertEquals(4, e.tokens());
            assertFalse(e.truncated());
            assertEquals(0, t.padId());
            assertEquals(8, t.maxLength());
        }
    }

    @Test
    void theNormalizerLowercasesAndStripsAccentsAsTheFileSays() throws IOException {
        Path f = miniLm(dir);
        // BertNormalizer with lowercase true and strip_accents null: accents go with the case
        try (TextTokenizer t = TextTokenizer.open(f, 8)) {
            assertArrayEquals(t.encode("hello world").ids(), t.encode("HeLLo  WORLD").ids());
            assertArrayEquals(padded(8, 101, vocab(f, "cafe"), 102), t.encode("Café").ids());
            assertArrayEquals(padded(8, 101, vocab(f, "naive"), 102), t.encode("naïve").ids());
        }
    }

    @Test
    void aLongTextIsCutToMaxLengthAndStillEndsWithSep() throws IOException {
        try (TextTokenizer t = TextTokenizer.open(miniLm(dir), 6)) {
            TextTokenizer.Encoded e = t.encode("hello world ".repeat(50));
            assertArrayEquals(new float[] {101, 7592, 2088, 7592, 2088, 102}, e.ids());
            assertEquals(6, e.tokens());
            assertTrue(e.truncated());
        }
    }

    /** DJL caps max_length at a model maximum of 512 unless told otherwise, with a log line only. */
    @Test
    void aMaxLengthBeyond512IsKept() throws IOException {
        try (TextTokenizer t = TextTokenizer.open(miniLm(dir), 1000)) {
            TextTokenizer.Encoded e = t.encode("hello ".repeat(2000));
            assertEquals(1000, e.tokens());
            assertEquals(7592, e.ids()[998]);
            assertEquals(102, e.ids()[999]);
        }
    }

    @Test
    void anEmptyTextIsClsSepAndPadding() throws IOException {
        try (TextTokenizer t = TextTokenizer.open(miniLm(dir), 4)) {
            assertArrayEquals(padded(4, 101, 102), t.encode("").ids());
            assertArrayEquals(padded(4, 101, 102), t.encode("  \n\t ").ids());
        }
    }

    @Test
    void unicodeOutsideTheVocabularyIsUnkAndChineseIsSplitPerCharacter() throws IOException {
        Path f = miniLm(dir);
        try (TextTokenizer t = TextTokenizer.open(f, 8)) {
            assertArrayEquals(padded(8, 101, 100, 102), t.encode("\uD83E\uDD84").ids()); // unicorn emoji: [UNK]
            assertArrayEquals(padded(8, 101, vocab(f, "中"), vocab(f, "文"), 102), t.encode("中文").ids());
        }
    }

    @Test
    void theDigestIsTheFilesSha256() throws Exception {
        Path f = miniLm(dir);
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        try (TextTokenizer t = TextTokenizer.open(f, 4)) {
            assertEquals(expected, t.sha256());
        }
        assertEquals(expected, TextTokenizer.sha256(f));
    }

    @Test
    void aMissingOrMalformedFileIsOneLineNamingIt() throws IOException {
        Path missing = dir.resolve("nope.json");
        DataException e = assertThrows(DataException.class, () -> TextTokenizer.open(missing, 8));
        assertEquals(missing + ": no such file", e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": ");
        e = assertThrows(DataException.class, () -> TextTokenizer.open(broken, 8));
        assertTrue(e.getMessage().startsWith(broken + ": not a tokenizer.json"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Path notTokenizer = dir.resolve("other.json");
        Files.writeString(notTokenizer, "{\"model\": {\"type\": \"Nonsense\"}, \"padding\": {\"pad_id\": 0}}");
        e = assertThrows(DataException.class, () -> TextTokenizer.open(notTokenizer, 8));
        assertTrue(e.getMessage().startsWith(notTokenizer + ": not a tokenizer.json ("), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        e = assertThrows(DataException.class, () -> TextTokenizer.open(dir, 8));
        assertTrue(e.getMessage().startsWith(dir + ": is a folder"), e.getMessage());
    }

    @Test
    void aTokenizerWithoutAPadTokenIsRefused() throws IOException {
        Path f = dir.resolve("nopad.json");
        ObjectMapper json = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(miniLm(dir).toFile());
        root.putNull("padding");
        var added = json.createArrayNode();
        root.get("added_tokens").forEach(t -> {
            if (!t.path("content").asText().equals("[PAD]")) {
                added.add(t);
            }
        });
        root.set("added_tokens", added);
        json.writeValue(f.toFile(), root);
        DataException e = assertThrows(DataException.class, () -> TextTokenizer.open(f, 8));
        assertTrue(e.getMessage().startsWith(f + ": names no pad token"), e.getMessage());
    }
}
