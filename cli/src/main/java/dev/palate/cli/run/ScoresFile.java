package dev.palate.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A scores file as an earlier run left it: its complete rows (row k is input row k), for resuming. A last row cut off
 * by a kill (no line break after it, or a CSV quote left open) is not complete and is left out. JSONL values are
 * kept as parsed JSON (numbers keep their text), CSV cells as text, so rows written back are byte for byte the same.
 *
 * @param rows      the complete rows, in file order
 * @param rowStarts byte offset in the file where each row starts, and one more: where the last complete row ends
 * @param header    CSV header, or null
 */
public record ScoresFile(Path path, List<LinkedHashMap<String, Object>> rows, long[] rowStarts, List<String> header) {

    public static boolean isCsv(Path p) {
        return p.getFileName().toString().toLowerCase().endsWith(".csv");
    }

    /** The file's complete rows; an absent or empty file has none. */
    public static ScoresFile read(Path path) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) return new ScoresFile(path, List.of(), new long[] {0}, null);
        byte[] bytes = Files.readAllBytes(path);
        String text = new String(bytes, StandardCharsets.UTF_8);
        return isCsv(path) ? csv(path, text) : jsonl(path, text);
    }

    private static ScoresFile jsonl(Path path, String text) throws IOException {
        List<LinkedHashMap<String, Object>> rows = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        long at = 0;
        int pos = 0, number = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            if (nl < 0) break; // a last line without its line break was cut off
            String line = text.substring(pos, nl);
            number++;
            long len = line.getBytes(StandardCharsets.UTF_8).length + 1;
            JsonElement e;
            try {
                e = JsonParser.parseString(line);
            } catch (RuntimeException ex) {
                throw new IOException(path + " line " + number + ": cannot resume, the line is not JSON (" + ex.getMessage()
                        + "); move the file away or pass another --output");
            }
            if (!e.isJsonObject())
                throw new IOException(path + " line " + number + ": cannot resume, the line is not a JSON object; move the file"
                        + " away or pass another --output");
            starts.add(at);
            LinkedHashMap<String, Object> row = new LinkedHashMap<>();
            for (var f : ((JsonObject) e).entrySet()) row.put(f.getKey(), f.getValue());
            rows.add(row);
            at += len;
            pos = nl + 1;
        }
        starts.add(at);
        return new ScoresFile(path, rows, starts.stream().mapToLong(Long::longValue).toArray(), null);
    }

    private static ScoresFile csv(Path path, String text) throws IOException {
        List<Csv.Record> records = Csv.parse(text);
        boolean cut = !text.endsWith("\n");
        // a record with a problem can only be the last, cut off (Palate writes well-formed CSV)
        for (int i = 0; i < records.size(); i++)
            if (records.get(i).problem() != null) {
                if (i != records.size() - 1)
                    throw new IOException(path + " line " + records.get(i).line() + ": cannot resume, " + records.get(i).problem()
                            + "; move the file away or pass another --output");
                cut = true;
            }
        if (cut && !records.isEmpty()) records = records.subList(0, records.size() - 1);
        if (records.isEmpty()) return new ScoresFile(path, List.of(), new long[] {0}, null);
        int[] lineStartBytes = lineStartBytes(text);
        List<String> header = records.get(0).cells();
        List<LinkedHashMap<String, Object>> rows = new ArrayList<>();
        long[] starts = new long[records.size()];
        for (int i = 1; i < records.size(); i++) {
            Csv.Record r = records.get(i);
            if (r.cells().size() != header.size())
                throw new IOException(path + " line " + r.line() + ": cannot resume, " + r.cells().size() + " fields for a header of "
                        + header.size() + "; move the file away or pass another --output");
            LinkedHashMap<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) row.put(header.get(c), r.cells().get(c));
            rows.add(row);
            starts[i - 1] = lineStartBytes[r.line() - 1];
        }
        Csv.Record last = records.get(records.size() - 1);
        starts[records.size() - 1] = last.endLine() < lineStartBytes.length ? lineStartBytes[last.endLine()] : text.getBytes(StandardCharsets.UTF_8).length;
        return new ScoresFile(path, rows, starts, header);
    }

    private static int[] lineStartBytes(String text) {
        List<Integer> out = new ArrayList<>();
        out.add(0);
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            if (c == '\n') out.add(bytes);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Byte offset where row {@code k} starts (k = rows().size(): the end of the complete rows). */
    public long offsetOfRow(int k) {
        return rowStarts[k];
    }
}
