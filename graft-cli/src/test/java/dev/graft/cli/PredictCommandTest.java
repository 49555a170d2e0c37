package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft predict} against {@code graft train}'s own test measurement: the same checkpoint on
 * the same test file must give the same accuracy and confusion matrix, which holds only if predict
 * reads, maps and normalizes the data exactly as training did.
 */
class PredictCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    /** The shipped example experiment, with its paths made absolute and its output in {@code dir}. */
    private Path example(String name, String... replacements) throws IOException {
        Path exp = dir.resolve(name + ".yaml");
        Files.writeString(exp, CliFixtures.shippedExample(dir, name, replacements));
        return exp;
    }

    private JsonNode trainedTest() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("out/train/scratch/results.json").toFile()).path("run").path("test");
    }

    @Test
    void aCsvModelPredictsItsTestFileAsTrainingMeasuredItWithAndWithoutTheLabelColumn() throws IOException {
        assertEquals(0, CommandLineTest.run("train", example("tiny-csv").toString(), "--quiet").code());
        Path weights = dir.resolve("out/train/scratch/model.safetensors");
        Path test = EXAMPLES.resolve("data/tiny-csv/test.csv");
        Path out = dir.resolve("predictions.csv");
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", EXAMPLES.resolve("specs/tiny-mlp.yaml").toString(),
                "--weights", weights.toString(), test.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode truth = trainedTest();
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", truth.path("accuracy").asDouble())),
                r.out() + " vs " + truth);
        List<String> rows = Files.readAllLines(out);
        assertEquals("index,label,predicted,p_barbera,p_barolo,p_grignolino", rows.get(0));
        assertEquals(31, rows.size());
        int[][] confusion = new int[3][3];
        List<String> classes = List.of("barbera", "barolo", "grignolino");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            confusion[classes.indexOf(f[1])][classes.indexOf(f[2])]++;
            double sum = Double.parseDouble(f[3]) + Double.parseDouble(f[4]) + Double.parseDouble(f[5]);
            assertEquals(1.0, sum, 1e-5);
        }
        assertEquals(truth.path("confusion").toString(), new ObjectMapper().valueToTree(confusion).toString());

        // the same rows without the label column: read unlabelled, the same predictions
        Path unlabelled = dir.resolve("unlabelled.csv");
        Files.write(unlabelled, Files.readAllLines(test).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Path out2 = dir.resolve("predictions2.csv");
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", EXAMPLES.resolve("specs/tiny-mlp.yaml").toString(),
                "--weights", weights.toString(), unlabelled.toString(), "--out", out2.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.out().contains("predicted: barbera"), u.out());
        List<String> rows2 = Files.readAllLines(out2);
        for (int i = 1; i < rows.size(); i++) {
            String[] a = rows.get(i).split(",", 3);
            String[] b = rows2.get(i).split(",", 3);
            assertEquals("", b[1], "no label");
            assertEquals(a[2], b[2]);
        }
    }

    /**
     * Found by a fresh user: a file with as many labels as the model has classes, one of them
     * unknown, was mapped by position (accuracy 0.333, exit 0); a CSV without its unnamed (last)
     * label column had its last feature read as labels.
     */
    @Test
    void labelsMapByNameAndAnUnnamedLabelColumnMayBeLeftOut() throws IOException {
        Path exp = example("tiny-csv", "csv: {label: cultivar}", "csv: {header: true}");
        assertEquals(0, CommandLineTest.run("train", exp.toString(), "--quiet").code());
        String weights = dir.resolve("out/train/scratch/model.safetensors").toString();
        String spec = EXAMPLES.resolve("specs/tiny-mlp.yaml").toString();
        List<String> test = Files.readAllLines(EXAMPLES.resolve("data/tiny-csv/test.csv"));
        Path unknown = dir.resolve("unknown.csv");
        Files.write(unknown, List.of(test.get(0), test.get(1).replaceAll(",[a-z]+$", ",barolo"),
                test.get(2).replaceAll(",[a-z]+$", ",grignolino"), test.get(3).replaceAll(",[a-z]+$", ",zebra")));
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", spec, "--weights", weights, unknown.toString());
        assertEquals(2, r.code(), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(unknown + ": line 4: label 'zebra' is not a training class"), r.err());

        Path unlabelled = dir.resolve("unlabelled.csv");
        Files.write(unlabelled, test.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", spec, "--weights", weights, unlabelled.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.out().contains("predicted: barbera"), u.out());
    }

    @Test
    void anImageFolderModelPredictsItsTestFolderAsTrainingMeasuredIt() throws IOException {
        trainThenPredictTheTestFolderAsTrainingMeasuredIt(example("tiny-folder"),
                EXAMPLES.resolve("specs/tiny-image-mlp.yaml").toString());
    }

    private void trainThenPredictTheTestFolderAsTrainingMeasuredIt(Path experiment, String model) throws IOException {
        assertEquals(0, CommandLineTest.run("train", experiment.toString(), "--quiet").code());
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", model, "--weights",
                dir.resolve("out/train/scratch/model.safetensors").toString(),
                EXAMPLES.resolve("data/tiny-folder/test").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f",
                trainedTest().path("accuracy").asDouble())), r.out());
    }

    /** Before: features are taken by position, so swapped columns predicted wrong with exit 0. */
    @Test
    void aCsvWhoseColumnsAreNotTheTrainingFilesIsOneLineExit2() throws IOException {
        assertEquals(0, CommandLineTest.run("train", example("tiny-csv").toString(), "--quiet").code());
        String weights = dir.resolve("out/train/scratch/model.safetensors").toString();
        String spec = EXAMPLES.resolve("specs/tiny-mlp.yaml").toString();
        List<String> lines = Files.readAllLines(EXAMPLES.resolve("data/tiny-csv/test.csv"));
        Path swapped = dir.resolve("swapped.csv");   // acidity and sugar swapped, values too
        Files.write(swapped, lines.stream().map(l -> {
            String[] f = l.split(",");
            return String.join(",", f[1], f[0], f[2], f[3]);
        }).toList());
        for (Path file : List.of(swapped, unlabelledCopy(swapped))) {
            CommandLineTest.Run r = CommandLineTest.run("predict", "--model", spec, "--weights", weights, file.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(file + ": line 1: the columns (sugar, acidity, proline"), r.err());
        }
        // a labels file belongs to IDX images only: it was silently ignored
        CommandLineTest.Run l = CommandLineTest.run("predict", "--model", spec, "--weights", weights,
                EXAMPLES.resolve("data/tiny-csv/test.csv").toString(), "--labels", swapped.toString());
        assertEquals(2, l.code(), l.err());
        assertTrue(l.err().contains("labels files go with IDX images"), l.err());
        // --out is checked before predicting: a folder, a path through a file, the input itself
        Path input = dir.resolve("input.csv");
        Files.copy(EXAMPLES.resolve("data/tiny-csv/test.csv"), input);
        for (String[] bad : new String[][] {{dir.toString(), "is a folder"}, {input + "/x.csv", "is a file, not a folder"},
            {input.toString(), "is the input data"}}) {
            CommandLineTest.Run o = CommandLineTest.run("predict", "--model", spec, "--weights", weights, input.toString(),
                    "--out", bad[0]);
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains(bad[1]) && o.out().isEmpty(), o.err() + " / " + o.out());
        }
        assertEquals(Files.readAllLines(EXAMPLES.resolve("data/tiny-csv/test.csv")), Files.readAllLines(input));
        // the training order, with or without the label column, is accepted
        assertEquals(0, CommandLineTest.run("predict", "--model", spec, "--weights", weights,
                unlabelledCopy(EXAMPLES.resolve("data/tiny-csv/test.csv")).toString()).code());
    }

    private Path unlabelledCopy(Path csv) throws IOException {
        Path out = dir.resolve("nolabel-" + csv.getFileName());
        Files.write(out, Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        return out;
    }

    /** Before: a model trained with a group column could not predict a file without it. */
    @Test
    void aGroupColumnIsOptionalWhenPredicting() throws IOException {
        Path data = Files.createDirectories(dir.resolve("sites"));
        for (String name : List.of("train.csv", "test.csv")) {
            List<String> lines = Files.readAllLines(EXAMPLES.resolve("data/tiny-csv/" + name));
            List<String> out = new java.util.ArrayList<>(List.of("site," + lines.get(0)));
            for (int i = 1; i < lines.size(); i++) {
                out.add((i % 2 == 0 ? "north," : "south,") + lines.get(i));
            }
            Files.write(data.resolve(name), out);
        }
        Path exp = example("tiny-csv", "../data/tiny-csv/", data + "/", EXAMPLES + "/data/tiny-csv/", data + "/",
                "csv: {label: cultivar}", "csv: {label: cultivar}\n  groups: {column: site}");
        assertEquals(0, CommandLineTest.run("train", exp.toString(), "--quiet").code());
        String weights = dir.resolve("out/train/scratch/model.safetensors").toString();
        String spec = EXAMPLES.resolve("specs/tiny-mlp.yaml").toString();
        Path with = dir.resolve("with.csv");
        Path without = dir.resolve("without.csv");
        CommandLineTest.Run a = CommandLineTest.run("predict", "--model", spec, "--weights", weights,
                data.resolve("test.csv").toString(), "--out", with.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f",
                trainedTest().path("accuracy").asDouble())), a.out());
        Path noSite = dir.resolve("nosite.csv");
        Files.write(noSite, Files.readAllLines(data.resolve("test.csv")).stream()
                .map(l -> l.substring(l.indexOf(',') + 1)).toList());
        CommandLineTest.Run b = CommandLineTest.run("predict", "--model", spec, "--weights", weights, noSite.toString(),
                "--out", without.toString());
        assertEquals(0, b.code(), b.err());
        assertEquals(Files.readAllLines(with), Files.readAllLines(without), "the same predictions");
        // and without the label column as well
        CommandLineTest.Run u = CommandLineTest.run("predict", "--model", spec, "--weights", weights,
                unlabelledCopy(noSite).toString());
        assertEquals(0, u.code(), u.err());
    }

    /** Before: NAME:K built the family at its default [3, 224, 224] and the trained grey stem did not load. */
    @Test
    void aFamilyTrainedOnGreyImagesPredictsByNameAsTrainingMeasuredIt() throws IOException {
        Path exp = example("tiny-folder", "model: " + EXAMPLES + "/specs/tiny-image-mlp.yaml",
                "model: {family: mobilenet_v3_small, num_classes: 3, input: [1, 14, 14]}", "epochs: 40", "epochs: 2");
        trainThenPredictTheTestFolderAsTrainingMeasuredIt(exp, "mobilenet_v3_small:3");
    }

    /** Before: the weights were cut or adapted to the named model, as a transfer does, and predicted wrong. */
    @Test
    void weightsOfAnotherShapeThanTheModelAreRefusedNotAdapted() throws IOException {
        assertEquals(0, CommandLineTest.run("train", example("tiny-folder").toString(), "--quiet").code());
        Path wider = dir.resolve("wider.yaml");
        Files.writeString(wider, Files.readString(EXAMPLES.resolve("specs/tiny-image-mlp.yaml"))
                .replace("out: 32", "out: 16"));
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model", wider.toString(), "--weights",
                dir.resolve("out/train/scratch/model.safetensors").toString(),
                EXAMPLES.resolve("data/tiny-folder/test").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("tensor hidden.weight is [32, 196] but") && r.err().contains("needs [16, 196]"),
                r.err());
        // another model altogether: before, the hint was an experiment's ("resize the images (image: ...)")
        CommandLineTest.Run f = CommandLineTest.run("predict", "--model", "resnet18:3", "--weights",
                dir.resolve("out/train/scratch/model.safetensors").toString(),
                EXAMPLES.resolve("data/tiny-folder/test").toString());
        assertEquals(2, f.code(), f.err());
        assertTrue(f.err().contains("samples are [1, 14, 14] but resnet18:3 takes [3, 14, 14]; predict with the spec "
                + "or family the weights were trained with"), f.err());
    }

    /** Before: a libtorch shape error during training, exit 1. */
    @Test
    void dataWhoseShapeIsNotTheModelsInputIsOneLineExit2BeforeTraining() throws IOException {
        Path exp = example("tiny-folder", "width: 14, height: 14", "width: 16, height: 16");
        CommandLineTest.Run r = CommandLineTest.run("train", exp.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("data samples are [1, 16, 16] but the model's input is [1, 14, 14]"), r.err());
    }

    @Test
    void aCheckpointWithoutPreprocessingIsOneLineExit2() {
        CommandLineTest.Run r = CommandLineTest.run("predict", "--model",
                EXAMPLES.resolve("specs/small-cnn.yaml").toString(), "--weights",
                EXAMPLES.resolve("checkpoints/fashion-source.safetensors").toString(),
                EXAMPLES.resolve("data/tiny-csv/test.csv").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no 'graft.preprocessing' metadata"), r.err());
    }
}
