import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits a JFR recording of Graft's training loop (bench/profile.sh) into the phases of a step:
 * each sample of the thread that trains (jdk.ExecutionSample: running Java; jdk.NativeMethodSample:
 * inside a native call, i.e. libtorch working or waiting on its OpenMP threads) is given to the
 * phase of the innermost Graft/DJL frame that names one, walking from the top of the stack down.
 * Only samples under FineTuner.fit's loop count; "Java" is the share of those samples that were
 * running Java code rather than native code (over all phases).
 *
 * <p>Usage: java bench/JfrSplit.java RECORDING.jfr [THREAD_NAME] (default "main"). Prints one line
 * per phase: samples, share, and of them the samples in Java.
 */
public final class JfrSplit {
    /** Frames (class#method prefixes) that mark a phase; the first found from the top wins. */
    static final List<String[]> PHASES = List.of(
            new String[] {"dev.graft.train.Optimizer#", "optimizer"},
            new String[] {"ai.djl.pytorch.engine.PtGradientCollector#backward", "backward"},
            new String[] {"ai.djl.ndarray.NDScope#", "scope bookkeeping"},
            new String[] {"ai.djl.ndarray.BaseNDManager#close", "scope bookkeeping"},
            new String[] {"ai.djl.pytorch.engine.PtNDManager#newSubManager", "scope bookkeeping"},
            new String[] {"ai.djl.ndarray.BaseNDManager#newSubManager", "scope bookkeeping"},
            new String[] {"ai.djl.pytorch.engine.PtGradientCollector#close", "scope bookkeeping"},
            new String[] {"ai.djl.pytorch.engine.PtGradientCollector#<init>", "scope bookkeeping"},
            new String[] {"ai.djl.pytorch.engine.PtEngine#newGradientCollector", "scope bookkeeping"},
            new String[] {"dev.graft.train.Losses#", "loss"},
            new String[] {"ai.djl.pytorch.engine.PtNDArray#getFloat", "loss read-back"},
            new String[] {"ai.djl.ndarray.NDArray#getFloat", "loss read-back"},
            new String[] {"dev.graft.train.FineTuner#batch", "batch assembly"},
            new String[] {"dev.graft.train.Augmenter#", "batch assembly"},
            new String[] {"dev.graft.model.GraftModel#countBatchNormStep", "other in step"},
            new String[] {"forward", "forward"});

    public static void main(String[] args) throws Exception {
        String thread = args.length > 1 ? args[1] : "main";
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (String p : List.of("forward", "loss", "backward", "optimizer", "batch assembly", "scope bookkeeping",
                "loss read-back", "other in step", "loop outside the step")) {
            counts.put(p, new long[2]);
        }
        long total = 0;
        long java = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            boolean inJava = type.equals("jdk.ExecutionSample");
            if (!inJava && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            if (e.getThread("sampledThread") == null || !thread.equals(e.getThread("sampledThread").getJavaName())) {
                continue;
            }
            String phase = phase(e.getStackTrace());
            if (phase == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(phase, k -> new long[2]);
            c[0]++;
            total++;
            if (inJava) {
                c[1]++;
                java++;
            }
        }
        for (Map.Entry<String, long[]> c : counts.entrySet()) {
            System.out.println(String.format(Locale.ROOT, "%-22s %6d samples %5.1f %%  (in Java: %d)", c.getKey(),
                    c.getValue()[0], 100.0 * c.getValue()[0] / Math.max(1, total), c.getValue()[1]));
        }
        System.out.println(String.format(Locale.ROOT, "%-22s %6d samples; running Java code: %d (%.1f %%)", "total",
                total, java, 100.0 * java / Math.max(1, total)));
    }

    /** The phase of a stack under FineTuner.fit, or null when the sample is not in the loop. */
    static String phase(RecordedStackTrace st) {
        if (st == null) {
            return null;
        }
        List<RecordedFrame> frames = st.getFrames();
        boolean inFit = false;
        boolean inStep = false;
        for (RecordedFrame f : frames) {
            String m = f.getMethod().getType().getName() + "#" + f.getMethod().getName();
            inFit |= m.equals("dev.graft.train.FineTuner#fit");
            inStep |= m.equals("dev.graft.train.FineTuner#step");
        }
        if (!inFit) {
            return null;
        }
        for (RecordedFrame f : frames) {
            String m = f.getMethod().getType().getName() + "#" + f.getMethod().getName();
            for (String[] p : PHASES) {
                boolean hit = p[0].equals("forward")
                        ? m.endsWith("#forward") && m.startsWith("ai.djl.nn.") || m.startsWith("dev.graft.model.")
                                && m.endsWith("#forward")
                        : m.startsWith(p[0]);
                if (hit) {
                    return p[1];
                }
            }
            if (m.equals("dev.graft.train.FineTuner#step")) {
                // in the step itself: creating the batch's arrays is batch assembly, the rest overhead
                return "batch assembly";
            }
            if (m.equals("dev.graft.train.FineTuner#fit")) {
                return inStep ? "other in step" : "loop outside the step";
            }
        }
        return "other in step";
    }
}
