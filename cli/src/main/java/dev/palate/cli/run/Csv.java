package dev.palate.cli.run;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * RFC 4180 CSV through Apache Commons CSV: quoted fields may hold commas, doubled quotes and line breaks (what
 * Python's {@code csv} module and Excel write for multi-line prompts). A malformed record (a quote never closed,
 * text after a closing quote) is returned as a record with a problem and the line it starts on, and parsing goes on
 * at the next line, so one bad row never hides the others.
 */
public final class Csv {
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    private static final java.util.regex.Pattern AT_LINE = java.util.regex.Pattern.compile("at line: (\\d+)");
    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    /**
     * One record.
     *
     * @param line    1-based physical line it starts on
     * @param endLine the last physical line it spans
     * @param cells   its fields (empty for a malformed record)
     * @param problem null, or why it could not be read
     */
    public record Record(int line, int endLine, List<String> cells, String problem) {}

    private Csv() {}

    /** Every record of {@code text} (a leading byte-order mark is dropped), in order. */
    public static List<Record> parse(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        int[] lineStarts = lineStarts(text);
        List<Record> out = new ArrayList<>();
        int fromLine = 1; // 1-based line the current parser starts at
        while (fromLine <= lineStarts.length) {
            int offset = lineStarts[fromLine - 1];
            int nextLine = parseFrom(text.substring(offset), fromLine, offset, lineStarts, out);
            if (nextLine < 0) break;
            fromLine = nextLine;
        }
        return out;
    }

    /** Parses until the end (returns -1) or a malformed record (recorded; returns the line to go on from). */
    private static int parseFrom(String text, int firstLine, int offset, int[] lineStarts, List<Record> out) {
        try (CSVParser p = CSVParser.builder().setReader(new StringReader(text)).setFormat(READ).get()) {
            Iterator<CSVRecord> it = p.iterator();
            long consumed = 0; // line breaks read so far by this parser
            while (true) {
                int start = firstNonBlank(lineStarts, firstLine + (int) consumed, offset, text);
                try {
                    if (!it.hasNext()) return -1;
                    CSVRecord r = it.next();
                    int line = lineOf(lineStarts, offset + (int) r.getCharacterPosition());
                    consumed = p.getCurrentLineNumber();
                    int end = Math.max(line, firstLine + (int) consumed - 1);
                    out.add(new Record(line, end, Arrays.asList(r.values()), null));
                } catch (UncheckedIOException | IllegalStateException e) {
                    String msg = String.valueOf(e.getMessage());
                    java.util.regex.Matcher at = AT_LINE.matcher(msg); // Commons CSV names the line it stopped on
                    int errorLine = at.find() ? firstLine - 1 + Integer.parseInt(at.group(1)) : firstLine + (int) p.getCurrentLineNumber();
                    String problem = msg.contains("EOF reached before encapsulated token finished")
                            ? "a quoted field opened on line " + start + " is never closed (everything after it was read as"
                                    + " that one field); close the quote, and double any quote inside a quoted field"
                            : "malformed CSV on line " + errorLine + ": text after a closing quote (quote the whole field and"
                                    + " double the quotes inside it)";
                    out.add(new Record(start, Math.max(start, errorLine), List.of(), problem));
                    return errorLine + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private static int firstNonBlank(int[] lineStarts, int line, int offset, String text) {
        while (line <= lineStarts.length) {
            int s = lineStarts[line - 1] - offset;
            if (s >= text.length()) break;
            char c = text.charAt(s);
            if (c != '\n' && c != '\r') break;
            line++;
        }
        return line;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n' && i + 1 < text.length()) starts.add(i + 1);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1-based line of a character offset. */
    private static int lineOf(int[] lineStarts, int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** One record and its line break: cells quoted only where they need it; null is an empty cell. */
    public static String line(List<?> cells) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, WRITE)) {
            p.printRecord(cells.stream().map(c -> c == null ? "" : c.toString()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }
}
