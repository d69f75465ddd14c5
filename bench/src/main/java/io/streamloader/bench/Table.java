package io.streamloader.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for benchmark output that reads well in a terminal and a note. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        StringBuilder rule = new StringBuilder("|");
        for (int w : widths) {
            rule.append("-".repeat(w + 2)).append('|');
        }
        out.append(rule).append('\n');
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.size(); i++) {
            out.append(' ')
                    .append(String.format("%-" + widths[i] + "s", cells.get(i)))
                    .append(" |");
        }
        out.append('\n');
    }

    /** Seconds with two decimals, for a table cell. */
    public static String seconds(double seconds) {
        return String.format("%.2f", seconds);
    }

    /** {@code n} per second, rounded, for a table cell. */
    public static String rate(long n, double seconds) {
        return String.format("%.0f", n / seconds);
    }
}
