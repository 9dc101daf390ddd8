package dev.palate.cli.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;

/**
 * Writes output rows to a JSONL or CSV file (by extension), one flushed write per batch, so a kill loses at most the
 * batch being written (its partial last line is dropped on resume, {@link ScoresFile}). The file is created with the
 * first rows: a run that fails before scoring leaves no file. Two ways to write:
 * {@linkplain #append appending} after the rows an earlier run completed, or {@linkplain #rewrite rewriting} the whole
 * file beside it ({@code OUTPUT.rewrite.tmp}) and moving it over the old one at {@link #commit()}, when earlier rows
 * get new values; a kill during a rewrite leaves the old file as it was.
 */
public final class ResultWriter implements AutoCloseable {
    private final Path path;   // where the rows go now (the temporary file while rewriting)
    private final Path target; // the output
    private final List<String> columns; // CSV only, else null
    private final long truncateAt;
    private OutputStream out;
    private int written;

    private ResultWriter(Path path, Path target, List<String> columns, long truncateAt) {
        this.path = path;
        this.target = target;
        this.columns = columns;
        this.truncateAt = truncateAt;
    }

    /**
     * Appends after the first {@code truncateAt} bytes of {@code path} (the complete rows an earlier run left; what
     * follows them is dropped).
     *
     * @param csvColumns the CSV columns (ignored for JSONL); a new or header-less file gets them as its header
     */
    public static ResultWriter append(Path path, List<String> csvColumns, long truncateAt) {
        return new ResultWriter(path, path, ScoresFile.isCsv(path) ? List.copyOf(csvColumns) : null, truncateAt);
    }

    /** Writes a whole new {@code path} beside it; nothing changes until {@link #commit()}. */
    public static ResultWriter rewrite(Path path, List<String> csvColumns) throws IOException {
        Path tmp = tmpFile(path);
        Files.deleteIfExists(tmp);
        return new ResultWriter(tmp, path, ScoresFile.isCsv(path) ? List.copyOf(csvColumns) : null, 0);
    }

    /** Where a rewrite of {@code output} is written before it replaces it. */
    public static Path tmpFile(Path output) {
        return output.resolveSibling(output.getFileName() + ".rewrite.tmp");
    }

    /** The text of one value as it is written in a CSV cell, and as input fields are compared on resume. */
    public String cell(Object v) {
        if (columns == null) return Json.GSON.toJson(v instanceof JsonElement ? v : v);
        return csvCell(v);
    }

    static String csvCell(Object v) {
        if (v == null) return "";
        if (v instanceof JsonElement j) return j.isJsonNull() ? "" : j.isJsonPrimitive() ? j.getAsString() : Json.GSON.toJson(j);
        if (v instanceof String || v instanceof Number || v instanceof Boolean) return v.toString();
        return Json.GSON.toJson(v);
    }

    /** Appends the rows and flushes them to the file. */
    public synchronized void write(List<? extends Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> row : rows) {
            if (columns != null) {
                List<String> cells = new ArrayList<>();
                for (String c : columns) cells.add(csvCell(row.get(c)));
                sb.append(Csv.line(cells));
            } else {
                sb.append(Json.GSON.toJson(row)).append('\n');
            }
        }
        open();
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        written += rows.size();
    }

    private void open() throws IOException {
        if (out != null) return;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (Files.exists(path) && Files.size(path) > truncateAt)
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
                f.setLength(truncateAt);
            }
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (columns != null && fresh) out.write(Csv.line(columns).getBytes(StandardCharsets.UTF_8));
    }

    /** Rows written by this writer. */
    public int written() { return written; }

    /** For a rewrite: moves the new file over the output (for an append: nothing to do). */
    public void commit() throws IOException {
        close();
        if (path.equals(target)) return;
        if (out == null && !Files.exists(path)) return;
        try {
            Files.move(path, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** For a rewrite: throws the new file away, leaving the output as it was. */
    public void discard() throws IOException {
        close();
        if (!path.equals(target)) Files.deleteIfExists(path);
    }

    public Path path() { return target; }

    @Override
    public void close() throws IOException {
        if (out != null) out.close();
    }
}
