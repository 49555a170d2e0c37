package dev.graft.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A written spec parses back to the same spec, for every registered kind's examples. */
class SpecWriterTest {

    static Stream<Arguments> examples() {
        return LayerKinds.all().stream().flatMap(k -> k.examples().stream().map(e -> Arguments.of(k.keyword(), e)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("examples")
    void everyKindsExamplesRoundTrip(String keyword, LayerKind.Example e) {
        String input = Arrays.stream(e.input()).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
        ModelSpec spec = SpecParser.parse("example", "name: ex\ninput: " + input + "\nlayers:\n  - " + e.yaml() + "\n");
        String written = SpecWriter.write(spec);
        ModelSpec back = SpecParser.parse("written", written);
        assertEquals(spec.root(), back.root(), written);
        assertEquals(ModelLayout.of(spec).params(), ModelLayout.of(back).params(), written);
        assertEquals(written, SpecWriter.write(back));
    }

    @Test
    void namesThatReadAsOtherScalarsAreQuoted() {
        ModelSpec spec = SpecParser.parse("q", "input: [4]\nlayers:\n  - {name: 'true', type: linear, out: 2}\n"
                + "  - {name: '7', type: relu}\nhead: 'true'\n");
        ModelSpec back = SpecParser.parse("written", SpecWriter.write(spec));
        assertEquals(spec.root(), back.root());
        assertEquals(spec.head(), back.head());
    }
}
