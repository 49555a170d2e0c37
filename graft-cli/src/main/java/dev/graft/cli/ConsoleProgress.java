package dev.graft.cli;

import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.RunRecord;
import dev.graft.train.TrainResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on the console: one line per finished run with an ETA, and epoch lines for long
 * single runs. Lines only (no cursor tricks), so logs and pipes read the same as a terminal.
 */
final class ConsoleProgress implements ExperimentRunner.Progress {
    private final PrintWriter out;
    private final boolean epochs;
    private final long start = System.nanoTime();

    ConsoleProgress(PrintWriter out, boolean epochs) {
        this.out = out;
        this.epochs = epochs;
    }

    @Override
    public void status(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void epoch(TrainResult.EpochRecord r, int total) {
        if (epochs) {
            out.println(String.format(Locale.ROOT, "  epoch %d/%d  loss %.4f%s  lr %.2e  %.1fs", r.epoch() + 1, total,
                    r.trainLoss(), Double.isNaN(r.validation()) ? "" : String.format(Locale.ROOT, "  val %.4f",
                            r.validation()), r.lr(), r.seconds()));
            out.flush();
        }
    }

    @Override
    public void runFinished(int index, int total, RunRecord r) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = elapsed / index * (total - index);
        String result = r.test() == null ? r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message()
                : String.format(Locale.ROOT, "acc %.3f  macro-F1 %.3f", r.accuracy(), r.macroF1());
        out.println(String.format(Locale.ROOT, "[%d/%d] %-15s %s shots  seed %d  %s  %d epochs%s  %.1fs  (ETA %s)",
                index, total, r.strategy(), r.shots() == 0 ? "all" : String.valueOf(r.shots()), r.seed(), result,
                r.epochs(), r.status() == TrainResult.Status.EARLY_STOPPED ? " (early stop)" : "", r.totalSeconds(),
                clock(eta)));
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
