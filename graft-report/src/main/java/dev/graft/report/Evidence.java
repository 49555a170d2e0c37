package dev.graft.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary's verdict at each shot count, in words, and the paired comparisons behind it as
 * tables: what a reader needs to see before believing "strategy X is best". The numbers come
 * from {@link PairedComparison}; this class only words and lays them out.
 */
final class Evidence {
    /** Non-significant rivals named in a verdict before "and N more". */
    private static final int NAMED = 3;

    private Evidence() {}

    /** One sentence on who, if anyone, wins at {@code pc}'s shot count. */
    static String verdict(PairedComparison pc) {
        String at = "At " + shots(pc.shots()) + " shots ";
        String mean = pc.accuracy().format(3);
        if (pc.pairs().isEmpty()) {
            return at + "only " + pc.best() + " has finished runs (test accuracy " + mean + "); there is nothing to "
                    + "compare it with.";
        }
        if (pc.clearWinner()) {
            return at + pc.best() + " is the clear winner: mean test accuracy " + mean + ", and over the same seeds "
                    + "it beats every other strategy with a paired t-test p below " + alpha() + " (see the paired "
                    + "comparisons below).";
        }
        List<String> rivals = new ArrayList<>();
        List<PairedComparison.Pair> weak = pc.pairs().stream().filter(p -> !p.significant()).toList();
        for (PairedComparison.Pair p : weak.subList(0, Math.min(NAMED, weak.size()))) {
            rivals.add(p.difference().n() < 2
                    ? String.format(Locale.ROOT, "%s (%d shared seed%s, too few to test)", p.other(),
                            p.difference().n(), p.difference().n() == 1 ? "" : "s")
                    : String.format(Locale.ROOT, "%s (%s, p = %s)", p.other(), signed(p), p(p.tP())));
        }
        String more = weak.size() > NAMED ? " and " + (weak.size() - NAMED) + " more" : "";
        return at + "there is no clear winner: " + pc.best() + " has the highest mean test accuracy (" + mean
                + "), but its paired lead is not significant at p < " + alpha() + " over " + String.join(", ", rivals)
                + more + ".";
    }

    /**
     * The paired comparisons, one table per shot count, with the rule stated once above them.
     *
     * @return HTML: a heading, a paragraph and the tables; empty when no shot count has two strategies
     */
    static String tables(List<PairedComparison> comparisons) {
        List<PairedComparison> shown = comparisons.stream().filter(pc -> !pc.pairs().isEmpty()).toList();
        if (shown.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Paired comparisons</h3>\n<p>").append(Html.escape(
                "Each row pairs the best strategy's runs with another strategy's runs over the seeds both "
                        + "finished (same seed, same data split): the difference in test accuracy (best minus other, "
                        + "mean ± sd), how many seeds each won, the exact two-sided sign test and the two-sided paired "
                        + "t-test. A strategy is called the clear winner only when it beats every other with a "
                        + "positive mean difference and a paired t-test p below " + alpha() + "; the sign test "
                        + "assumes nothing about the differences' shape but cannot reach 0.05 with fewer than six "
                        + "seeds.")).append("</p>\n");
        for (PairedComparison pc : shown) {
            b.append("<h4>").append(Html.escape(shots(pc.shots()) + " shots: " + pc.best() + " against each other "
                    + "strategy" + (pc.clearWinner() ? " (clear winner)" : " (no clear winner)"))).append("</h4>\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"other strategy", "shared seeds", pc.best() + " − other (mean ± sd)",
                "seeds won / lost / tied", "sign test p", "paired t-test p", "significant"});
            for (PairedComparison.Pair p : pc.pairs()) {
                rows.add(new String[] {p.other(), String.valueOf(p.difference().n()),
                    p.difference().n() == 0 ? "-" : signed(p),
                    p.wins() + " / " + p.losses() + " / " + p.ties(), p(p.signP()), p(p.tP()),
                    p.significant() ? "yes" : "no"});
            }
            b.append(Html.table(rows, 1, 2, 3, 4, 5));
        }
        return b.toString();
    }

    /** A mean difference with its sign, as {@code +0.056 ± 0.038}; one difference has no spread to show. */
    private static String signed(PairedComparison.Pair p) {
        return p.difference().n() < 2 ? String.format(Locale.ROOT, "%+.3f", p.difference().mean())
                : String.format(Locale.ROOT, "%+.3f ± %.3f", p.difference().mean(), p.difference().sd());
    }

    /** A p-value to three places; "< 0.001" below that; "-" when there is none. */
    static String p(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String alpha() {
        return String.format(Locale.ROOT, "%.2f", PairedComparison.ALPHA);
    }

    private static String shots(int shots) {
        return shots == 0 ? "all" : String.valueOf(shots);
    }
}
