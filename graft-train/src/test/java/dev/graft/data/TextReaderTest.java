package dev.graft.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text readers: a CSV's quoted commas, quotes and line breaks, JSON lines, labels by name,
 * and a one-line error naming the file and line for each malformed input. The expected samples
 * are the tokenizer's ids of the texts as written, and the ids themselves are checked against
 * bert-base-uncased's (hello 7592, world 2088) so that a reader that split a field wrongly fails.
 */
class TextReaderTest {
    @TempDir
    Path dir;

    private TextTokenizer tok;

    @BeforeEach
    void open() throws IOException {
        tok = TextTokenizer.open(TextTokenizerTest.miniLm(dir), 8);
    }

    @AfterEach
    void close() {
        tok.close();
    }

    private static final TextReader.Fields TEXT_LABEL = new TextReader.Fields("text", "label", null);

    private float[] ids(String text) {
        return tok.encode(text).ids();
    }

    private TextReader.Result csv(String name, String content, List<String> classes) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return TextReader.read(f, TextReader.Format.CSV, TEXT_LABEL, tok, classes, DataLimits.DEFAULT);
    }

    private TextReader.Result jsonl(String name, String content, List<String> classes) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return TextReader.read(f, TextReader.Format.JSONL, TEXT_LABEL, tok, classes, DataLimits.DEFAULT);
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderOrTheFirstLineIsSkipped() throws IOException {
        TextReader.Result c = csv("bom.csv", "\uFEFFtext,label\nhello world,spam\n", null);
        assertEquals(List.of("spam"), c.classNames());
        assertArrayEquals(new float[] {101, 7592, 2088, 102, 0, 0, 0, 0}, c.examples().sample(0));
        TextReader.Result j = jsonl("bom.jsonl", "\uFEFF{\"text\": \"hello world\", \"label\": \"ham\"}\n", null);
        assertEquals(List.of("ham"), j.classNames());
    }

    @Test
    void aCsvFieldMayHoldCommasQuotesAndLineBreaks() throws IOException {
        TextReader.Result r = csv("t.csv", "id,text,label\n"
                + "1,\"hello, world\",spam\n"
                + "2,\"say \"\"hello\"\"\nworld\",ham\n"
                + "\n"
                + "3,Héllo Wörld,spam\r\n"
                + "4,,ham\n", null);
        Examples e = r.examples();
        assertEquals(4, e.size());
        assertEquals(List.of("ham", "spam"), r.classNames());
        assertArrayEquals(new int[] {1, 0, 1, 0}, e.labels());
        assertArrayEquals(new float[] {101, 7592, 1010, 2088, 102, 0, 0, 0}, e.sample(0)); // 1010 is ","
        assertArrayEquals(ids("say \"hello\"\nworld"), e.sample(1));
        assertArrayEquals(new float[] {101, 7592, 2088, 102, 0, 0, 0, 0}, e.sample(2)); // accents and case go
        assertArrayEquals(new float[] {101, 102, 0, 0, 0, 0, 0, 0}, e.sample(3));
        assertEquals(1, r.empty());
        assertEquals(0, r.truncated());
        assertEquals(new dev.graft.checkpoint.Dims(8), e.sampleShape());
    }

    @Test
    void jsonLinesReadTheTextAndLabelFields() throws IOException {
        TextReader.Result r = jsonl("t.jsonl", "{\"text\": \"hello, world\", \"label\": \"spam\", \"id\": 7}\n"
                + "\n"
                + "{\"label\": \"ham\", \"text\": \"line\\nbreak \\u00e9\"}\n"
                + "{\"text\": \"" + "hello ".repeat(20) + "\", \"label\": \"spam\"}\n", null);
        assertEquals(List.of("ham", "spam"), r.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, r.examples().labels());
        assertArrayEquals(ids("hello, world"), r.examples().sample(0));
        assertArrayEquals(ids("line\nbreak é"), r.examples().sample(1));
        assertEquals(1, r.truncated());
    }

    @Test
    void labelsMapOntoTheTrainingClassesByNameAndNumbersAreClassNumbers() throws IOException {
        TextReader.Result test = csv("test.csv", "text,label\nhello,spam\nworld,spam\n", List.of("ham", "spam"));
        assertArrayEquals(new int[] {1, 1}, test.examples().labels());
        assertEquals(2, test.examples().classes());
        DataException e = assertThrows(DataException.class,
                () -> csv("bad.csv", "text,label\nhello,spam\nworld,eggs\n", List.of("ham", "spam")));
        assertEquals(dir.resolve("bad.csv") + ": line 3: label 'eggs' is not a training class (ham, spam)",
                e.getMessage());
        TextReader.Result numbered = jsonl("n.jsonl", "{\"text\": \"a\", \"label\": 2}\n{\"text\": \"b\", \"label\": 0}\n",
                null);
        assertTrue(numbered.numbered());
        assertEquals(List.of("0", "1", "2"), numbered.classNames());
        assertArrayEquals(new int[] {2, 0}, numbered.examples().labels());
    }

    @Test
    void columnsMayBeNamedByIndexAndAGroupColumnIsReturnedAsWritten() throws IOException {
        Path f = dir.resolve("g.csv");
        Files.writeString(f, "site,body,kind\nnorth,hello,a\nsouth,world,b\n");
        TextReader.Result r = TextReader.read(f, TextReader.Format.CSV, new TextReader.Fields("1", "kind", "site"), tok,
                null, DataLimits.DEFAULT);
        assertEquals(List.of("north", "south"), r.groups());
        assertArrayEquals(ids("hello"), r.examples().sample(0));
        TextReader.Result unlabelled = TextReader.read(f, TextReader.Format.CSV, new TextReader.Fields("body", null, null),
                tok, null, DataLimits.DEFAULT);
        assertArrayEquals(new int[] {0, 0}, unlabelled.examples().labels());
        assertNull(unlabelled.groups());
    }

    @Test
    void malformedInputIsOneLineNamingFileAndLine() throws IOException {
        Path f = dir.resolve("x.csv");
        assertEquals(f + ": no text column 'text' (the header names body, label)",
                assertThrows(DataException.class, () -> csv("x.csv", "body,label\nhi,a\n", null)).getMessage());
        assertEquals(f + ": line 3 has 3 fields, the header names 2",
                assertThrows(DataException.class, () -> csv("x.csv", "text,label\nhi,a\nho,b,c\n", null)).getMessage());
        assertEquals(f + ": line 2, column 2: the label is empty",
                assertThrows(DataException.class, () -> csv("x.csv", "text,label\nhi, \n", null)).getMessage());
        assertEquals(f + ": no texts",
                assertThrows(DataException.class, () -> csv("x.csv", "text,label\n\n", null)).getMessage());
        String unclosed = assertThrows(DataException.class,
                () -> csv("x.csv", "text,label\nhi,a\n\"open,b\n", null)).getMessage();
        assertTrue(unclosed.startsWith(f + ": line "), unclosed);
        assertTrue(!unclosed.contains("\n"), unclosed);
        Path j = dir.resolve("x.jsonl");
        String good = "{\"text\": \"hi\", \"label\": \"a\"}\n";
        assertEquals(j + ": line 3: not JSON (Unexpected end-of-input: expected close marker for Object (start "
                        + "marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
                        + "line: 1, column: 1]))",
                assertThrows(DataException.class, () -> jsonl("x.jsonl", good + "\n{\"text\": \"hi\"", null))
                        .getMessage().replaceAll("\\s+", " "));
        assertEquals(j + ": line 2: no 'label' field (the label)", assertThrows(DataException.class,
                () -> jsonl("x.jsonl", good + "{\"text\": \"ho\"}\n", null)).getMessage());
        assertEquals(j + ": line 2: 'text' is not a string", assertThrows(DataException.class,
                () -> jsonl("x.jsonl", good + "{\"text\": 5, \"label\": \"a\"}\n", null)).getMessage());
        assertEquals(j + ": line 2: not a JSON object (one object per line is needed)", assertThrows(
                DataException.class, () -> jsonl("x.jsonl", good + "[1, 2]\n", null)).getMessage());
        assertEquals(j + ": line 1: 'label' is array, not a string or a whole number", assertThrows(
                DataException.class, () -> jsonl("x.jsonl", "{\"text\": \"a\", \"label\": [1]}\n", null)).getMessage());
    }

    @Test
    void aFieldOrLineBeyondTheLimitIsRefusedAsTooLarge() throws IOException {
        DataLimits small = new DataLimits(2048, 40, 5, 1000);
        Path f = dir.resolve("big.csv");
        Files.writeString(f, "text,label\n\"" + "a".repeat(100) + "\",x\n");
        DataException e = assertThrows(DataException.class,
                () -> TextReader.read(f, TextReader.Format.CSV, TEXT_LABEL, tok, null, small));
        assertTrue(e.getMessage().startsWith(f + ": too large (line 2: a field is longer than 40 characters"),
                e.getMessage());
        Files.writeString(f, "text,label\nhi,x,1,2,3,4,5\n");
        e = assertThrows(DataException.class, () -> TextReader.read(f, TextReader.Format.CSV, TEXT_LABEL, tok, null,
                small));
        assertEquals(f + ": too large (line 2 has more than 5 fields, data.limits.max_fields)", e.getMessage());
        Path j = dir.resolve("big.jsonl");
        Files.writeString(j, "{\"text\": \"" + "a".repeat(100) + "\", \"label\": \"x\"}\n");
        e = assertThrows(DataException.class, () -> TextReader.read(j, TextReader.Format.JSONL, TEXT_LABEL, tok, null,
                small));
        assertTrue(e.getMessage().startsWith(j + ": too large (line 1 is longer than 40 characters"), e.getMessage());
        // 1 MB holds 32768 samples of 8 ids: 40000 rows are refused while they stream in
        Path many = dir.resolve("many.csv");
        Files.writeString(many, "text,label\n" + "hi,x\n".repeat(40_000));
        e = assertThrows(DataException.class, () -> TextReader.read(many, TextReader.Format.CSV, TEXT_LABEL, tok, null,
                new DataLimits(1, 1000, 10, 1000)));
        assertTrue(e.getMessage().startsWith(many + ": too large (more than "), e.getMessage());
    }

    @Test
    void aBinaryFileOrAFolderIsNamedAsSuch() throws IOException {
        Path f = dir.resolve("b.csv");
        Files.write(f, new byte[] {'t', 'e', 'x', 't', ',', 'l', '\n', (byte) 0xff, (byte) 0xfe, ',', 'a', '\n'});
        assertEquals(f + ": not UTF-8 text (is it a binary file?)", assertThrows(DataException.class,
                () -> TextReader.read(f, TextReader.Format.CSV, new TextReader.Fields("text", "l", null), tok, null,
                        DataLimits.DEFAULT)).getMessage());
        assertEquals(dir + ": cannot read: it is a folder, not a JSON-lines file", assertThrows(DataException.class,
                () -> TextReader.read(dir, TextReader.Format.JSONL, TEXT_LABEL, tok, null, DataLimits.DEFAULT))
                .getMessage());
        assertEquals(dir.resolve("none.csv") + ": no such file", assertThrows(DataException.class,
                () -> TextReader.read(dir.resolve("none.csv"), TextReader.Format.CSV, TEXT_LABEL, tok, null,
                        DataLimits.DEFAULT)).getMessage());
    }
}
