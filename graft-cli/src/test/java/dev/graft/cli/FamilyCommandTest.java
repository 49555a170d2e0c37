package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.checkpoint.SafetensorsFile;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecParser;
import dev.graft.model.family.Families;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model families on the command line: {@code graft spec} and {@code --target NAME:K}. */
class FamilyCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("graft.home", "..");
    }

    static CommandLineTest.Run run(String... args) {
        return CommandLineTest.run(args);
    }

    @Test
    void specPrintsAFamilyAsYamlThatParsesBackToTheSameLayout() {
        CommandLineTest.Run r = run("spec", "mobilenet_v3_small:5");
        assertEquals(0, r.code(), r.err());
        ModelLayout printed = ModelLayout.of(SpecParser.parse("printed", r.out()));
        ModelLayout family = ModelLayout.of(Families.spec("mobilenet_v3_small:5"));
        assertEquals(family.params(), printed.params());
        assertEquals("classifier.3", printed.head());

        CommandLineTest.Run gray = run("spec", "resnet18:2", "--channels", "1");
        assertEquals(0, gray.code(), gray.err());
        assertEquals(1, ModelLayout.of(SpecParser.parse("gray", gray.out())).param("conv1.weight").orElseThrow()
                .dims().get(1));

        CommandLineTest.Run list = run("spec", "--list");
        assertEquals(0, list.code(), list.err());
        Families.names().forEach(n -> assertTrue(list.out().contains(n), n));

        CommandLineTest.Run bad = run("spec", "resnet19:5");
        assertEquals(Main.BAD_INPUT, bad.code(), bad.out());
        assertTrue(bad.err().contains("resnet18"), bad.err());
    }

    @Test
    void transferAndPlanTakeAFamilyAsTarget() throws Exception {
        Path out = dir.resolve("r18.safetensors");
        String source = CommandLineTest.SOURCE;
        CommandLineTest.Run t = run("transfer", "--source", source, "--target", "resnet18:5", "--allow-missing", "--out",
                out.toString());
        assertEquals(0, t.code(), t.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals(ModelLayout.of(Families.spec("resnet18:5")).params().stream().map(ParamInfo::name).toList(),
                    f.names(), "torchvision's state_dict names, in order");
        }
        CommandLineTest.Run p = run("plan", "--source", out.toString(), "--target", "resnet18:5");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("fc.weight"), p.out());

        // an RGB torchvision checkpoint into the grey family: the stem adapts without a rule
        Path gray = dir.resolve("resnet18-gray.yaml");
        java.nio.file.Files.writeString(gray, run("spec", "resnet18:5", "--channels", "1").out());
        CommandLineTest.Run g = run("plan", "--source", out.toString(), "--target", gray.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("adapt_input_channels auto 3->1 (input layer)"), g.out());
    }

    /** Before: the name was ignored and the list printed. */
    @Test
    void specRefusesANameAndListTogether() {
        CommandLineTest.Run r = run("spec", "resnet18", "--list");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("give a family to print or --list, not both"), r.err());
    }

    /** Before: plan and predict read the file, spec the family, and nothing said which. */
    @Test
    void aTargetThatIsBothAFileAndAFamilyIsRefused() throws Exception {
        Path cwdFile = Path.of("resnet18:2");
        java.nio.file.Files.writeString(cwdFile, "input: [4]\nlayers: [{type: linear, out: 2}]\n");
        try {
            CommandLineTest.Run r = run("plan", "--source", CommandLineTest.SOURCE, "--target", "resnet18:2");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("resnet18:2: both a file here and a model family; write ./resnet18:2"),
                    r.err());
        } finally {
            java.nio.file.Files.delete(cwdFile);
        }
    }

    /** Before: "resnet19:5: no such file". */
    @Test
    void anUnknownFamilyNamesTheKnownOnes() {
        CommandLineTest.Run r = run("plan", "--source", CommandLineTest.SOURCE, "--target", "resnet19:5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'resnet19' is not a model family (known: resnet18"), r.err());
    }
}
