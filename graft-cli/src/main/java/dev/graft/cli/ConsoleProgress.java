package dev.graft.cli;

import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.RunRecord;
import dev.graft.train.TrainResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on the console. On a terminal: a bar with an ETA for the runs (or, for a single run,
 * its epochs), finished runs printed above it. Elsewhere (pipes, logs, CI): plain lines, one per
 * finished run with an ETA, and epoch lines for single runs.
 */
final class ConsoleProgress implements ExperimentRunner.Progress, AutoCloseable {
    private final PrintWriter out;
    private final boolean single;
    private final boolean bars;
    private final long start = System.nanoTime();
    private LiveBar bar;
    private String current = "";

    /**
     * @param single one long run (graft train): report its epochs
     * @param bars draw progress bars (only on a terminal)
     */
    ConsoleProgress(PrintWriter out, boolean single, boolean bars) {
        this.out = out;
        this.single = single;
        this.bars = bars;
    }

    /** Bars when the output is a terminal, lines otherwise. */
    ConsoleProgress(PrintWriter out, boolean single) {
        this(out, single, LiveBar.terminal());
    }

    @Override
    public void status(String line) {
        if (bar != null) {
            bar.println(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void runStarting(int index, int total, String strategy, int shots, long seed) {
        current = String.format(Locale.ROOT, "%s, %s shots, seed %d", strategy, shots == 0 ? "all" : shots, seed);
        if (bars && !single) {
            if (bar == null) {
                bar = new LiveBar(out, "runs", total, "runs");
            }
            bar.message(current);
        }
    }

    @Override
    public void epoch(TrainResult.EpochRecord r, int total) {
        String line = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f%s  lr %.2e  %.1fs", r.epoch() + 1, total,
                r.trainLoss(), Double.isNaN(r.validation()) ? "" : String.format(Locale.ROOT, "  val %.4f",
                        r.validation()), r.lr(), r.seconds());
        if (bars && single) {
            if (bar == null) {
                bar = new LiveBar(out, "epochs", total, "epochs");
            }
            bar.println("  " + line);
            bar.stepTo(r.epoch() + 1);
        } else if (bar != null) {
            bar.message(current + ": epoch " + (r.epoch() + 1) + "/" + total);
        } else if (single || current.isEmpty()) {
            // lines: every epoch of a single run, or of pre-training before a comparison's first run
            out.println("  " + line);
            out.flush();
        }
    }

    @Override
    public void runFinished(int index, int total, RunRecord r) {
        if (bars && single) {
            close();
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = elapsed / index * (total - index);
        String result = r.test() == null ? r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message()
                : String.format(Locale.ROOT, "%s%s%s", r.regression() ? r.test().headline()
                        : String.format(Locale.ROOT, "acc %.3f  macro-F1 %.3f", r.accuracy(), r.macroF1()),
                        Double.isNaN(r.robustAccuracy()) ? ""
                                : String.format(Locale.ROOT, "  robust %.3f", r.robustAccuracy()),
                        r.retention() == null ? "" : String.format(Locale.ROOT, "  forgetting %.3f",
                                r.retention().forgetting()));
        String line = String.format(Locale.ROOT, "[%d/%d] %-15s %s shots  seed %d  %s  %d epoch%s%s  %.1fs%s", index,
                total, r.strategy(), r.shots() == 0 ? "all" : String.valueOf(r.shots()), r.seed(), result, r.epochs(),
                r.epochs() == 1 ? "" : "s",
                r.status() == TrainResult.Status.EARLY_STOPPED ? " (early stop)" : "", r.totalSeconds(),
                bar == null ? "  (ETA " + clock(eta) + ")" : "");
        if (bar != null) {
            bar.println(line);
            bar.stepTo(index);
            if (index == total) {
                close();
            }
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** Ends the bar, if one is drawn. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
