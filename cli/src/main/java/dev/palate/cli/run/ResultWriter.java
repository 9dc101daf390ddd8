package dev.palate.cli.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Appends scored rows to a JSONL or CSV file (by extension), one flushed write per batch, and resumes: rows already
 * in the file (same image field and prompt) are skipped on a rerun, and a line cut off by a kill is dropped first.
 */
public final class ResultWriter implements AutoCloseable {
    private final Path path;
    private final boolean csv;
    private final List<String> columns; // CSV only
    private final Set<String> completed;
    private final OutputStream out;

    private ResultWriter(Path path, boolean csv, List<String> columns, Set<String> completed, OutputStream out) {
        this.path = path;
        this.csv = csv;
        this.columns = columns;
        this.completed = completed;
        this.out = out;
    }

    /**
     * Opens {@code path} for appending, reading what an earlier run left there.
     *
     * @param columns for CSV: the columns of a new file (ignored when the file exists; its header wins)
     */
    public static ResultWriter open(Path path, List<String> columns) throws IOException {
        boolean csv = path.getFileName().toString().toLowerCase().endsWith(".csv");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        dropTrailingPartialLine(path);
        Set<String> completed = new HashSet<>();
        List<String> header = columns;
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        if (!fresh) {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            if (csv) {
                header = Csv.parseLine(lines.get(0));
                for (String line : lines.subList(1, lines.size())) {
                    List<String> cells = Csv.parseLine(line);
                    Map<String, String> m = new LinkedHashMap<>();
                    for (int i = 0; i < header.size() && i < cells.size(); i++) m.put(header.get(i), cells.get(i));
                    completed.add(InputRow.key(m));
                }
            } else {
                for (String line : lines) {
                    if (line.isBlank()) continue;
                    JsonElement e;
                    try {
                        e = JsonParser.parseString(line);
                    } catch (RuntimeException ex) {
                        throw new IOException(path + ": cannot resume, a line is not JSON (" + ex.getMessage()
                                + "); move the file away or pass another --output");
                    }
                    completed.add(InputRow.key(Json.fields(e.getAsJsonObject())));
                }
            }
        }
        OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ResultWriter w = new ResultWriter(path, csv, header == null ? List.of() : List.copyOf(header), completed, out);
        if (csv && fresh) w.writeRaw(String.join(",", w.columns.stream().map(Csv::quote).toList()) + "\n");
        return w;
    }

    /** The CSV columns for these rows and metrics: input fields in order of first appearance, the metrics, error. */
    public static List<String> csvColumns(List<InputRow> rows, List<String> metricColumns) {
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        for (InputRow r : rows) cols.addAll(r.fields().keySet());
        cols.addAll(metricColumns);
        cols.add("error");
        return new ArrayList<>(cols);
    }

    public boolean isDone(InputRow row) {
        return completed.contains(row.key());
    }

    public int completedCount() {
        return completed.size();
    }

    /** Appends the rows and flushes them to the file. */
    public synchronized void write(List<? extends Map<String, Object>> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> row : rows) {
            if (csv) {
                List<String> cells = new ArrayList<>();
                for (String c : columns) cells.add(Csv.quote(row.get(c)));
                sb.append(String.join(",", cells)).append('\n');
            } else {
                sb.append(Json.GSON.toJson(row)).append('\n');
            }
            completed.add(InputRow.key(row));
        }
        writeRaw(sb.toString());
    }

    private void writeRaw(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Path path() { return path; }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A kill in the middle of a write can leave a line without its newline: it was not complete, drop it. */
    private static void dropTrailingPartialLine(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            long len = f.length();
            long keep = len;
            while (keep > 0) {
                f.seek(keep - 1);
                if (f.read() == '\n') break;
                keep--;
            }
            if (keep != len) f.setLength(keep);
        }
    }
}
