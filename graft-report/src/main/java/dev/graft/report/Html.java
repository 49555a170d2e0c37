package dev.graft.report;

import java.util.List;

/** Escaping and the one table shape the report uses. */
final class Html {
    private Html() {}

    /** Text safe inside elements and double-quoted attributes. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A table: the first row is the header; cells are escaped; columns listed in {@code numeric}
     * are right-aligned.
     */
    static String table(List<String[]> rows, int... numeric) {
        StringBuilder b = new StringBuilder("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String tag = r == 0 ? "th" : "td";
            b.append("<tr>");
            String[] row = rows.get(r);
            for (int c = 0; c < row.length; c++) {
                boolean num = false;
                for (int n : numeric) {
                    num |= n == c;
                }
                b.append('<').append(tag).append(num ? " class=\"num\">" : ">").append(escape(row[c]))
                        .append("</").append(tag).append('>');
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /** The report page's style sheet (inline: the page opens from disk with no network). */
    static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222; }
            header { background: #0b3d63; color: #fff; padding: 16px 32px; }
            header h1 { margin: 0 0 8px 0; font-size: 22px; }
            nav a { color: #cfe6ff; margin-right: 14px; text-decoration: none; font-size: 14px; }
            main { padding: 8px 32px 32px 32px; max-width: 1100px; }
            section { border-bottom: 1px solid #e3e3e3; padding-bottom: 16px; }
            h2 { margin-top: 28px; color: #0b3d63; }
            table { border-collapse: collapse; margin: 8px 0 16px 0; font-size: 14px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; }
            th { background: #f3f6f9; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            figure { margin: 12px 0 20px 0; }
            figcaption { font-size: 13px; color: #555; margin-top: 4px; }
            svg.chart { max-width: 100%; height: auto; display: block; }
            details { margin: 8px 0 16px 0; }
            footer { padding: 16px 32px; color: #666; font-size: 13px; }
            code { background: #f3f3f3; padding: 1px 4px; }
            """;
}
