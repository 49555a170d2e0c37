package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.experiment.RunRecord;
import dev.graft.train.TrainResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    static RunRecord run(String strategy, long seed) {
        return new RunRecord(strategy, 5, seed, TrainResult.Status.COMPLETED, "", null, 2, 1, 0.1, 0.2,
                List.of(), List.of(), null, null);
    }

    static TrainResult.EpochRecord epoch(int e) {
        return new TrainResult.EpochRecord(e, 0.5, 0.7, 1e-3, 4, 0.01);
    }

    @Test
    void onATerminalABarWithAnEtaAndTheRunsAboveIt() {
        StringWriter s = new StringWriter();
        try (ConsoleProgress p = new ConsoleProgress(new PrintWriter(s), false, true)) {
            for (int i = 1; i <= 3; i++) {
                p.runStarting(i, 3, "full", 5, i);
                p.epoch(epoch(0), 2);
                p.epoch(epoch(1), 2);
                p.runFinished(i, 3, run("full", i));
            }
        }
        String out = s.toString();
        assertTrue(out.contains("[3/3] full"), out);
        assertTrue(out.contains("runs") && out.contains("3/3 runs"), out);
        assertTrue(out.contains("\r"), "the bar redraws its line");
        assertFalse(out.contains("(ETA"), "the bar carries the ETA, not each line");
        assertTrue(out.endsWith("\n"), "the bar's line is ended when it finishes");
    }

    @Test
    void onASingleRunTheBarCountsEpochs() {
        StringWriter s = new StringWriter();
        try (ConsoleProgress p = new ConsoleProgress(new PrintWriter(s), true, true)) {
            p.epoch(epoch(0), 2);
            p.epoch(epoch(1), 2);
        }
        String out = s.toString();
        assertTrue(out.contains("epochs") && out.contains("2/2 epochs"), out);
        assertTrue(out.contains("epoch 2/2  loss 0.5000  val 0.7000"), out);
    }

    @Test
    void elsewherePlainLinesWithAnEta() {
        StringWriter s = new StringWriter();
        try (ConsoleProgress p = new ConsoleProgress(new PrintWriter(s), false, false)) {
            for (int i = 1; i <= 2; i++) {
                p.runStarting(i, 2, "scratch", 5, i);
                p.epoch(epoch(0), 1);
                p.runFinished(i, 2, run("scratch", i));
            }
        }
        List<String> lines = s.toString().lines().toList();
        assertEquals(2, lines.size(), "one line per run, no epoch lines, no bar: " + lines);
        assertTrue(lines.get(1).startsWith("[2/2] scratch") && lines.get(1).contains("(ETA 0:00)"), lines.get(1));
        assertFalse(s.toString().contains("\r"));
    }
}
