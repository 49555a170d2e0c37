package dev.graft.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.GraftInputException;
import dev.graft.experiment.ComparedStrategy;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import dev.graft.experiment.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distillation strategies from YAML on the shipped data: a student of its own spec, teachers of two kinds. */
class DistillStrategyTest {
    @TempDir
    Path dir;

    Prepared experiment(String strategies) throws IOException {
        return dev.graft.testing.ShippedTask.prepare(dir, "distill", """
                train: {epochs: 3, batch_size: 25}
                strategies: %s
                shots: [5]
                seeds: [0]
                """.formatted(strategies));
    }

    @Test
    void studentsLearnAloneFromATeacherAndThenFromTheLabels() throws IOException {
        Prepared p = experiment("""
                [{name: alone, base: distill, distill: {student: $ROOT/examples/specs/tiny-cnn.yaml, alpha: 0.0}},
                 {name: soft, base: distill, distill: {student: $ROOT/examples/specs/tiny-cnn.yaml}},
                 {name: hard, base: distill, distill: {student: $ROOT/examples/specs/tiny-cnn.yaml, hard: true,
                   teacher: {checkpoint: $ROOT/examples/checkpoints/fashion-source.safetensors}}},
                 {name: then, base: distill, distill: {student: $ROOT/examples/specs/tiny-cnn.yaml,
                   then_finetune: true}}]""");
        List<ComparedStrategy> strategies = ExperimentRunner.comparedStrategies(p, (s, w) -> Optional.empty());
        List<RunRecord> runs = ExperimentRunner.compare(p, strategies, ExperimentRunner.Progress.NONE);
        assertEquals(List.of("alone", "soft", "hard", "then"), runs.stream().map(RunRecord::strategy).toList());
        for (RunRecord r : runs) {
            assertNotNull(r.test(), r.strategy());
        }
        assertTrue(runs.get(0).message().startsWith("the student alone"));
        assertTrue(runs.get(1).message().startsWith("distilled"));
        assertEquals(6, runs.get(3).epochs(), "3 epochs from the teacher, then 3 from the labels");
        // the student is the tiny CNN: its 26,581 parameters all train
        assertEquals(26_581, runs.get(1).trainableParameters());
        assertTrue(ExperimentRunner.splits(p, 5, 0).unlabelled().size() > 100, "the pool's other images");
    }

    @Test
    void aStudentWithTheWrongNumberOfOutputsIsRefused() throws IOException {
        Files.writeString(dir.resolve("ten.yaml"), """
                input: [1, 28, 28]
                layers:
                  - {type: flatten}
                  - {type: linear, out: 10}
                """);
        Prepared p = experiment("[{name: s, base: distill, distill: {student: " + dir.resolve("ten.yaml") + "}}]");
        GraftInputException e = assertThrows(GraftInputException.class,
                () -> ExperimentRunner.comparedStrategies(p, (s, w) -> Optional.empty()));
        assertTrue(e.getMessage().contains("one output per target class"), e.getMessage());
    }
}
