package dev.graft.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.data.Examples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text tasks through an experiment's data section (issue 14): formats text_csv and text_jsonl
 * become samples of token ids [max_length] that every split, cap and group rule handles as it
 * handles CSV rows; options that treat values as measurements are refused naming their key; and
 * the shipped data/spam task loads with the counts its README states. Token ids are checked
 * against bert-base-uncased's (hello 7592, world 2088, [CLS] 101, [SEP] 102, [PAD] 0).
 */
class TextDataTest {
    @TempDir
    Path dir;

    private static final String TRAIN = "text,label\n"
            + "\"hello, world\",spam\n"
            + "\"a text\nover two lines\",ham\n"
            + "Grüße aus Köln,ham\n"
            + "hello hello,spam\n"
            + "world,ham\n"
            + "hello,spam\n";

    @BeforeEach
    void files() throws IOException {
        try (InputStream in = TextDataTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("train.csv"), TRAIN);
        Files.writeString(dir.resolve("test.csv"), "text,label\nhello world,spam\nworld,ham\n");
    }

    private TaskData load(String data) {
        ExperimentConfig c = ExperimentLoader.parse("exp.yaml", "data: " + data);
        return TaskData.load(c.data(), dir, "exp.yaml: data");
    }

    private String refused(String data) {
        return assertThrows(GraftInputException.class, () -> load(data)).getMessage();
    }

    private static final String TEXT = "text: {tokenizer: tokenizer.json, max_length: 6}";

    @Test
    void aTextCsvBecomesTokenIdsWithNamedClasses() {
        TaskData d = load("{format: text_csv, train_images: train.csv, test_images: test.csv, " + TEXT + "}");
        assertEquals(List.of("ham", "spam"), d.classNames());
        assertEquals(6, d.pool().size());
        assertEquals(new Dims(6), d.pool().sampleShape());
        assertArrayEquals(new int[] {1, 0, 0, 1, 0, 1}, d.pool().labels());
        assertArrayEquals(new float[] {101, 7592, 1010, 2088, 102, 0}, d.pool().sample(0));
        assertArrayEquals(new float[] {101, 7592, 2088, 102, 0, 0}, d.test().sample(0));
        assertArrayEquals(new int[] {1, 0}, d.test().labels());
        assertTrue(d.tokens());
        TextSummary s = d.report().text();
        assertEquals(dir.resolve("tokenizer.json").toAbsolutePath(), s.tokenizer());
        assertEquals(6, s.maxLength());
        assertEquals(0, s.padId());
        assertEquals(8, s.texts());
        assertEquals(2, s.truncated(), "the two-line text and the German one have more than 4 word pieces");
        List<String> lines = d.report().lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("text: column 'text' tokenized by " + s.tokenizer()
                + " (sha256 " + s.sha256().substring(0, 12) + "…) into 6 token ids, padded with id 0: 2 of 8 texts "
                + "were longer and cut")), lines.toString());
        assertTrue(lines.contains("normalization: none: text samples are token ids"), lines.toString());
    }

    @Test
    void jsonLinesReadTheNamedFields() throws IOException {
        Files.writeString(dir.resolve("train.jsonl"), "{\"body\": \"hello, world\", \"kind\": \"spam\"}\n"
                + "{\"body\": \"world\", \"kind\": \"ham\", \"extra\": [1, 2]}\n");
        TaskData d = load("{format: text_jsonl, train_images: train.jsonl, text: {tokenizer: tokenizer.json, "
                + "max_length: 6, text: body, label: kind}}");
        assertEquals(List.of("ham", "spam"), d.classNames());
        assertArrayEquals(new float[] {101, 7592, 1010, 2088, 102, 0}, d.pool().sample(0));
        assertArrayEquals(new float[] {101, 2088, 102, 0, 0, 0}, d.pool().sample(1));
        Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", label: 1}\n");
        assertTrue(refused("{format: text_jsonl, train_images: bad.jsonl, " + TEXT + "}")
                .startsWith(dir.resolve("bad.jsonl") + ": line 2: not JSON ("));
    }

    @Test
    void classNamesFixTheOrderAndAnUnseenTestLabelIsNamed() throws IOException {
        TaskData d = load("{format: text_csv, train_images: train.csv, test_images: test.csv, class_names: [spam, ham], "
                + TEXT + "}");
        assertEquals(List.of("spam", "ham"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1, 0, 1, 0}, d.pool().labels());
        assertArrayEquals(new int[] {0, 1}, d.test().labels());
        Files.writeString(dir.resolve("test.csv"), "text,label\nhello,spam\nworld,eggs\n");
        assertEquals(dir.resolve("test.csv") + ": line 3: label 'eggs' is not a training class (ham, spam)",
                refused("{format: text_csv, train_images: train.csv, test_images: test.csv, " + TEXT + "}"));
    }

    @Test
    void splitsCapsAndGroupsWorkAsForCsv() throws IOException {
        TaskData split = load("{format: text_csv, train_images: train.csv, test_fraction: 0.34, " + TEXT + "}");
        assertEquals(2, split.test().size());
        assertArrayEquals(new int[] {1, 1}, split.test().classCounts());
        assertEquals(4, split.pool().size());
        TaskData capped = load("{format: text_csv, train_images: train.csv, caps: [1, 3], " + TEXT + "}");
        assertArrayEquals(new int[] {1, 3}, capped.pool().classCounts());
        Files.writeString(dir.resolve("g.csv"), "site,text,label\nnorth,hello,spam\nsouth,world,ham\nnorth,hi,ham\n");
        TaskData grouped = load("{format: text_csv, train_images: g.csv, groups: {column: site}, " + TEXT + "}");
        assertEquals(List.of("north", "south"), grouped.pool().groups().names());
        assertArrayEquals(new int[] {0, 1, 0}, grouped.pool().groups().of());
        assertArrayEquals(new float[] {101, 7592, 102, 0, 0, 0}, grouped.pool().sample(0), "the group is no text");
        TaskData byClass = load("{format: text_csv, train_images: train.csv, groups: {by_class: {a: [ham], b: [spam]}}, "
                + TEXT + "}");
        assertArrayEquals(new int[] {1, 0, 0, 1, 0, 1}, byClass.pool().groups().of());
        assertEquals("exp.yaml: data.groups.by_file: file-name globs need format folder, not text_csv",
                refused("{format: text_csv, train_images: train.csv, groups: {by_file: {a: '*'}}, " + TEXT + "}"));
    }

    @Test
    void optionsForNumbersAndImagesAreRefusedNamingTheKey() {
        String base = "format: text_csv, train_images: train.csv, " + TEXT;
        assertTrue(refused("{" + base + ", normalize: {auto: true}}").startsWith(
                "exp.yaml: data.normalize: text samples are token ids"));
        assertTrue(refused("{" + base + ", normalize: {mean: [0], std: [1]}}").startsWith("exp.yaml: data.normalize: "));
        assertTrue(refused("{" + base + ", shift: invert}").startsWith("exp.yaml: data.shift: domain shifts"));
        assertTrue(refused("{" + base + ", test_shift: noise}").startsWith("exp.yaml: data.test_shift: domain shifts"));
        assertTrue(refused("{" + base + ", csv: {label: label}}").startsWith("exp.yaml: data.csv: not read by format "
                + "text_csv"));
        assertTrue(refused("{" + base + ", image: {width: 8}}").startsWith("exp.yaml: data.image: not read"));
        assertEquals("exp.yaml: data.text: read only by the formats text_csv, text_jsonl, not csv",
                refused("{format: csv, train_images: train.csv, " + TEXT + "}"));
        assertEquals("exp.yaml: data.format: unknown format 'text' (idx, csv, folder, text_csv, text_jsonl)",
                refused("{format: text, train_images: train.csv}"));
    }

    @Test
    void aMissingOrBadTextSectionIsNamed() {
        assertEquals("exp.yaml: data.text: missing (a text task needs tokenizer and max_length)",
                refused("{format: text_csv, train_images: train.csv}"));
        assertEquals("exp.yaml: data.text.tokenizer: missing (a Hugging Face tokenizer.json)",
                refused("{format: text_csv, train_images: train.csv, text: {max_length: 8}}"));
        assertEquals("exp.yaml: data.text.max_length: must be between 2 and 65536, got 1",
                refused("{format: text_csv, train_images: train.csv, text: {tokenizer: tokenizer.json, max_length: 1}}"));
        assertEquals(dir.resolve("train.csv") + ": no text column 'body' (the header names text, label)",
                refused("{format: text_csv, train_images: train.csv, text: {tokenizer: tokenizer.json, max_length: 8, "
                        + "text: body}}"));
        assertEquals(dir.resolve("none.json") + ": no such file",
                refused("{format: text_csv, train_images: train.csv, text: {tokenizer: none.json, max_length: 8}}"));
        assertTrue(refused("{format: text_csv, train_images: train.csv, text: {tokenizer: tokenizer.json, "
                + "max_length: 8, label: text}}").startsWith("exp.yaml: data.text: the text, label and group columns must "
                + "differ"));
    }

    @Test
    void predictionTokenizesNewTextsAsTrainingDidAndOnlyWithTheSameTokenizer() throws IOException {
        ExperimentConfig c = ExperimentLoader.parse("exp.yaml", "data: {format: text_csv, train_images: train.csv, "
                + TEXT + "}");
        TaskData d = TaskData.load(c.data(), dir, "exp.yaml: data");
        Preprocessing pre = Preprocessing.fromMetadata(
                java.util.Map.of(Preprocessing.KEY, Preprocessing.of(c.data(), d, dir).toJson()), "model.safetensors");
        assertEquals(d.report().text().sha256(), pre.tokenizerSha256());
        Path texts = dir.resolve("new.csv");
        Files.writeString(texts, "text\nhello world\n\"hello, world\"\n");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        // prediction resolves paths against the working directory, never the experiment's folder
        Examples unlabelled = TaskData.loadUnlabelled(pre.sectionFor(texts.toString(), null), elsewhere, "new.csv");
        assertArrayEquals(new float[] {101, 7592, 2088, 102, 0, 0}, unlabelled.sample(0));
        assertArrayEquals(d.pool().sample(0), unlabelled.sample(1));
        Examples labelled = TaskData.loadForPrediction(pre.sectionFor(dir.resolve("test.csv").toString(), null),
                elsewhere, "test.csv", pre.classNames());
        assertArrayEquals(new int[] {1, 0}, labelled.labels());
        Path moved = elsewhere.resolve("tokenizer.json");
        Files.copy(dir.resolve("tokenizer.json"), moved);
        Files.delete(dir.resolve("tokenizer.json"));
        String gone = assertThrows(GraftInputException.class, () -> pre.sectionFor(texts.toString(), null)).getMessage();
        assertEquals(dir.resolve("tokenizer.json").toAbsolutePath() + ": no such file (the tokenizer this model was "
                + "trained with)", gone);
        assertNotNull(pre.withTokenizer(moved).sectionFor(texts.toString(), null));
        Files.writeString(moved, Files.readString(moved).replace("\"[UNK]\"", "\"[unk]\""));
        assertTrue(assertThrows(GraftInputException.class, () -> pre.withTokenizer(moved).sectionFor(texts.toString(),
                null)).getMessage().startsWith(moved.toAbsolutePath() + ": not the tokenizer this model was trained "
                + "with (sha256 "));
    }

    /** Writes exp.yaml (a linear model on [6] ids, 2 outputs) with {@code rest} added; returns its name. */
    private String writeExp(String rest) throws IOException {
        Files.writeString(dir.resolve("ids.yaml"), "name: ids\ninput: [6]\nlayers:\n  - {name: head, type: linear, out: 2}\n");
        Files.writeString(dir.resolve("exp.yaml"), "model: ids.yaml\noutput: out\ndata: {format: text_csv, "
                + "train_images: train.csv, " + TEXT + "}\n" + rest);
        return "exp.yaml";
    }

    private String refusedAtPrepare(String rest) throws IOException {
        Path exp = dir.resolve(writeExp(rest));
        return assertThrows(GraftInputException.class, () -> ExperimentRunner.prepare(ExperimentLoader.read(exp), exp,
                ExperimentRunner.Progress.NONE)).getMessage();
    }

    @Test
    void robustnessAugmentationAndSmoteAreRefusedForText() throws IOException {
        String exp = dir.resolve("exp.yaml").toString();
        assertTrue(refusedAtPrepare("robustness: {attack: fgsm, eps: 0.1}\n").startsWith(exp + ": robustness: "
                + "adversarial attacks perturb pixel or feature values; text samples are token ids"));
        assertTrue(refusedAtPrepare("train: {augment: {mixup: 0.2}}\n").startsWith(exp + ": train.augment: image "
                + "augmentation"));
        assertTrue(refusedAtPrepare("train: {imbalance: smote}\n").startsWith(exp + ": train.imbalance: smote "
                + "interpolates"));
        assertTrue(refusedAtPrepare("train: {adversarial: {method: fgsm, eps: 0.1}}\n").startsWith(exp
                + ": train.adversarial: adversarial examples are small steps on pixel or feature values; text "
                + "samples are token ids"));
        assertTrue(refusedAtPrepare("strategies: [{name: adv, base: full, train: {adversarial: {eps: 0.1}}}]\n")
                .startsWith(exp + ": strategies[0].train.adversarial: "));
        assertTrue(refusedAtPrepare("strategies: [scratch, {name: aug, base: full, train: {augment: {flip: true}}}]\n")
                .startsWith(exp + ": strategies[1].train.augment: "));
        Prepared ok = ExperimentRunner.prepare(ExperimentLoader.read(dir.resolve("exp.yaml")
                .resolveSibling(writeExp("train: {augment: {flip: false}, imbalance: oversample}\n"))),
                dir.resolve("exp.yaml"), ExperimentRunner.Progress.NONE);
        assertEquals(6, ok.data().pool().size(), "augmentation left off and oversampling are fine for text");
        Files.writeString(dir.resolve("ids.yaml"), "name: ids\ninput: [8]\nlayers:\n  - {name: head, type: linear, out: 2}\n");
        Files.writeString(dir.resolve("exp.yaml"), "model: ids.yaml\noutput: out\ndata: {format: text_csv, "
                + "train_images: train.csv, " + TEXT + "}\n");
        String shape = assertThrows(GraftInputException.class, () -> ExperimentRunner.prepare(
                ExperimentLoader.read(dir.resolve("exp.yaml")), dir.resolve("exp.yaml"), ExperimentRunner.Progress.NONE))
                .getMessage();
        assertTrue(shape.contains("data samples are [6] but the model's input is [8]") && shape.contains(
                "data.text.max_length"), shape);
    }

    /** data/spam/README.md: 300 training texts (150 per class), 550 test texts (300 ham, 250 spam). */
    @Test
    void theShippedSpamTaskLoadsWithTheCountsItsReadmeStates() throws IOException {
        Path spam = Path.of("..", "data", "spam").toAbsolutePath().normalize();
        TaskData d = load("{format: text_csv, train_images: " + spam.resolve("train.csv") + ", test_images: "
                + spam.resolve("test.csv") + ", validation_per_class: 20, text: {tokenizer: tokenizer.json, "
                + "max_length: 128}}");
        assertEquals(List.of("ham", "spam"), d.classNames());
        assertArrayEquals(new int[] {150, 150}, d.pool().classCounts());
        assertArrayEquals(new int[] {300, 250}, d.test().classCounts());
        assertEquals(new Dims(128), d.pool().sampleShape());
        String readme = Files.readString(spam.resolve("README.md"));
        assertTrue(readme.contains("| `train.csv` | 300 | 150 | 150 |"), "README's table");
        assertTrue(readme.contains("| `test.csv` | 550 | 300 | 250 |"), "README's table");
        for (Examples e : List.of(d.pool(), d.test())) {
            for (int i = 0; i < e.size(); i++) {
                float[] ids = e.sample(i);
                assertEquals(101, ids[0], "every text starts with [CLS]");
            }
        }
    }
}
