package dev.graft.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with an ETA on the last line of a terminal (me.tongfei:progressbar), with a way
 * to print whole lines above it. Only for terminals: on a pipe or in a log, callers print lines.
 */
final class LiveBar implements AutoCloseable {
    private final PrintWriter out;
    private final ProgressBar bar;
    private final long start = System.nanoTime();

    LiveBar(PrintWriter out, String task, long max, String unit) {
        this.out = out;
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                .setMaxRenderedLength(110)
                .setEtaFunction(s -> eta(s.getCurrent(), s.getMax()))
                .setConsumer(new DelegatingProgressBarConsumer(this::draw, 110)).build();
    }

    /** The remaining time from the mean time per finished item; unknown before the first. */
    private Optional<Duration> eta(long done, long max) {
        if (done <= 0 || max <= 0) {
            return Optional.empty();
        }
        double perItem = (System.nanoTime() - start) / (double) done;
        return Optional.of(Duration.ofNanos((long) (perItem * Math.max(0, max - done))));
    }

    private void draw(String rendered) {
        synchronized (out) {
            out.print("\r" + rendered);
            out.flush();
        }
    }

    /** Prints a line above the bar; the bar is redrawn below it. */
    void println(String line) {
        synchronized (out) {
            out.print("\r\033[K");
            out.println(line);
            out.flush();
        }
        bar.refresh();
    }

    void stepTo(long n) {
        bar.stepTo(n);
    }

    void message(String m) {
        bar.setExtraMessage(m);
    }

    /** Whether output goes to an interactive terminal that can redraw a line. */
    static boolean terminal() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.equals("dumb");
    }

    @Override
    public void close() {
        bar.close();
        synchronized (out) {
            out.println();
            out.flush();
        }
    }
}
