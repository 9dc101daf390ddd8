package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: comma separated, fields quoted with '"' when they hold ',', '"', CR or LF; '""' is a quote. */
final class CsvCodec {
    private CsvCodec() {
    }

    /** A record plus the 1-based physical line it started on. */
    record Record(int line, List<String> cells) {
    }

    /** Splits a whole file into records; quoted fields may span lines. A leading UTF-8 BOM is dropped. */
    static List<Record> parse(String text, String fileName) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Record> records = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    cell.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                }
                case '\r' -> { /* CRLF: the LF ends the record */ }
                case '\n' -> {
                    if (any || cell.length() > 0) {
                        cells.add(cell.toString());
                        records.add(new Record(recordLine, List.copyOf(cells)));
                    }
                    cells.clear();
                    cell.setLength(0);
                    any = false;
                    line++;
                    recordLine = line;
                }
                default -> {
                    cell.append(c);
                    any = true;
                }
            }
        }
        if (quoted) throw new IllegalArgumentException(fileName + ": a quoted CSV field opened on line " + recordLine
                + " is never closed; check the quotes in that row");
        if (any || cell.length() > 0) {
            cells.add(cell.toString());
            records.add(new Record(recordLine, List.copyOf(cells)));
        }
        return records;
    }

    /** One CSV line (without the line break). */
    static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0)
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            else sb.append(c);
        }
        return sb.toString();
    }
}
