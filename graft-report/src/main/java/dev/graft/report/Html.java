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
}
