package dev.graft.search;
import static org.junit.jupiter.api.Assertions.assertEquals;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
/** A trial runs on any thread, after a pruned one, with or without the experiment prepared on another thread. */
class TrialRunnerThreadTest {
    @Test
    void aTrialRunsOnAnyThreadAfterAPrunedOne() throws Exception {
        var dir = Files.createTempDirectory("x");
        var t = new TrialRequest.Template("c", TrialRequest.Experiment.of(TrialExecutorContract.experiment(dir)), 5, 0);
        TrialRunner r = new TrialRunner();
        TrialResult a = r.run(t.at(0, new int[16], true), (e, v) -> e < 2);
        assertEquals(TrialState.PRUNED, a.state(), a.message());
        TrialResult[] b = new TrialResult[1];
        Thread th = new Thread(() -> b[0] = r.run(t.at(1, new int[16], true), (e, v) -> true));
        th.start(); th.join();
        assertEquals(TrialState.COMPLETE, b[0].state(), b[0].message());
        TrialRunner r2 = new TrialRunner();
        Thread th2 = new Thread(() -> b[0] = r2.run(t.at(1, new int[16], true), (e, v) -> true));
        th2.start(); th2.join();
        assertEquals(TrialState.COMPLETE, b[0].state(), "fresh runner on new thread " + b[0].message());
    }
}
