package dev.palate.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;

import dev.palate.cli.run.Csv;
import dev.palate.cli.run.TextFile;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Reads a scores file written by {@code palate score}: JSONL (one object per line; {@code .jsonl}, {@code .ndjson},
 * {@code .json}) or CSV with a header row ({@code .csv}).
 *
 * <p>Two row shapes, mixable: wide ({@code "pickscore": 21.3, "aesthetic-v2": 6.1}) and long
 * ({@code "metric": "pickscore", "score": 21.3}; a {@code score} without {@code metric} is metric "score").
 * A non-blank {@code error} field marks a failed row: for the long shape, failed for its metric; for the wide shape,
 * failed for every metric that has no finite score in the row (scores present in it are still used).
 *
 * <p>Which wide fields are metrics: the {@code --metric} names when given; otherwise every field that is not
 * reserved (see {@link #RESERVED}, fields ending in {@code _id}, and the grouping/prompt/seed fields) and that is
 * either a known metric name ({@link MetricDirections}) or holds only numbers (JSON numbers; for CSV, cells that
 * parse as numbers) in the rows that did not fail.
 */
public final class ScoresReader {
    /** Field names never taken as metrics without {@code --metric}. */
    public static final Set<String> RESERVED = Set.of(
            "image", "prompt", "prompt_id", "checkpoint", "seed", "error", "metric", "score",
            "step", "index", "line", "file", "width", "height", "model", "device", "dtype");

    private enum Kind { NUMBER, TEXT, NULL }

    private record Cell(String text, Kind kind) {
    }

    private record RawRow(int line, LinkedHashMap<String, Cell> cells) {
    }

    private ScoresReader() {
    }

    /**
     * @param explicitMetrics the only metrics to read (empty: detect)
     * @param alsoReserved    further non-metric fields (the {@code --by}, prompt and seed fields)
     */
    public static ScoreTable read(Path file, Collection<String> explicitMetrics, Collection<String> alsoReserved) {
        String text;
        try {
            List<TextFile.Line> lines = TextFile.lines(file);
            for (TextFile.Line l : lines)
                if (l.problem() != null)
                    throw new IllegalArgumentException(file + ":" + l.number() + ": not UTF-8 text (" + l.problem() + "); a scores"
                            + " file written by 'palate score' is UTF-8: was it edited or converted by another program?");
            text = TextFile.text(lines);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("scores file " + file + " does not exist; pass the file written by"
                    + " 'palate score' with --input", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scores file " + file + ": " + e.getMessage()
                    + "; pass the file written by 'palate score' with --input", e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<RawRow> raw;
        if (name.endsWith(".csv")) raw = parseCsv(text, file);
        else if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) raw = parseJsonLines(text, file);
        else throw new IllegalArgumentException(file + ": unknown scores file type; expected .jsonl (or .ndjson/.json, "
                + "one JSON object per line) or .csv with a header row");
        if (raw.isEmpty()) throw new IllegalArgumentException(file + ": no rows; is this the output of 'palate score'?");
        return classify(file, raw, new LinkedHashSet<>(explicitMetrics), new LinkedHashSet<>(alsoReserved));
    }

    private static List<RawRow> parseJsonLines(String text, Path file) {
        List<RawRow> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank()) continue;
            JsonElement e;
            try {
                e = JsonParser.parseString(line);
            } catch (JsonParseException ex) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not valid JSON (" + ex.getMessage()
                        + "); each line must be one JSON object");
            }
            if (!e.isJsonObject())
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a JSON object per line, found "
                        + (e.isJsonArray() ? "an array" : "'" + abbreviate(line) + "'"));
            LinkedHashMap<String, Cell> cells = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> f : ((JsonObject) e).entrySet()) cells.put(f.getKey(), cell(f.getValue()));
            rows.add(new RawRow(i + 1, cells));
        }
        return rows;
    }

    private static Cell cell(JsonElement v) {
        if (v == null || v.isJsonNull()) return new Cell(null, Kind.NULL);
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            return new Cell(p.getAsString(), p.isNumber() ? Kind.NUMBER : Kind.TEXT);
        }
        return new Cell(v.toString(), Kind.TEXT);
    }

    private static List<RawRow> parseCsv(String text, Path file) {
        List<Csv.Record> records = Csv.parse(text);
        for (Csv.Record r : records)
            if (r.problem() != null) throw new IllegalArgumentException(file + ":" + r.line() + ": " + r.problem());
        if (records.isEmpty()) return List.of();
        List<String> header = records.get(0).cells();
        List<RawRow> rows = new ArrayList<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            if (r.cells().size() != header.size())
                throw new IllegalArgumentException(file + ":" + r.line() + ": " + r.cells().size() + " cells but the header has "
                        + header.size() + " (" + String.join(",", header) + "); quote cells that contain commas");
            LinkedHashMap<String, Cell> cells = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                String v = r.cells().get(c);
                cells.put(header.get(c).trim(), v.isEmpty() ? new Cell(null, Kind.NULL) : new Cell(v, Kind.TEXT));
            }
            rows.add(new RawRow(r.line(), cells));
        }
        return rows;
    }

    private static ScoreTable classify(Path file, List<RawRow> raw, Set<String> explicit, Set<String> alsoReserved) {
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        // Pass 1: decide which wide columns are metrics.
        Map<String, Boolean> numericOnly = new LinkedHashMap<>();
        for (RawRow r : raw) {
            boolean failed = errorText(r) != null;
            for (Map.Entry<String, Cell> c : r.cells().entrySet()) {
                String key = c.getKey();
                Cell v = c.getValue();
                numericOnly.putIfAbsent(key, Boolean.FALSE);
                if (failed || v.kind() == Kind.NULL) continue;
                boolean numeric = v.kind() == Kind.NUMBER || (csv && parses(v.text()));
                if (!numeric) numericOnly.put(key, null); // null = seen a non-number
                else if (numericOnly.get(key) != null) numericOnly.put(key, Boolean.TRUE);
            }
        }
        Set<String> metricColumns = new LinkedHashSet<>();
        for (Map.Entry<String, Boolean> c : numericOnly.entrySet()) {
            String key = c.getKey();
            if (!explicit.isEmpty()) {
                if (explicit.contains(key) && !"score".equals(key) && !"metric".equals(key)) metricColumns.add(key);
            } else if (!reserved(key, alsoReserved)
                    && (MetricDirections.isKnown(key) || Boolean.TRUE.equals(c.getValue()))) {
                metricColumns.add(key);
            }
        }

        // Pass 2: build rows.
        Set<String> metrics = new LinkedHashSet<>();
        Set<String> fields = new LinkedHashSet<>();
        List<ScoreRow> rows = new ArrayList<>();
        for (RawRow r : raw) {
            String error = errorText(r);
            Map<String, String> rowFields = new LinkedHashMap<>();
            Map<String, Double> scores = new LinkedHashMap<>();
            String longMetric = text(r.cells().get("metric"));
            Cell longScore = r.cells().get("score");
            boolean longShape = longMetric != null || (longScore != null && longScore.kind() != Kind.NULL);
            if (longShape && longMetric == null) longMetric = "score";
            if (longShape && !explicit.isEmpty() && !explicit.contains(longMetric)) continue;
            for (Map.Entry<String, Cell> c : r.cells().entrySet()) {
                String key = c.getKey();
                Cell v = c.getValue();
                if (metricColumns.contains(key)) {
                    metrics.add(key);
                    if (v.kind() == Kind.NULL) continue;
                    if (error == null) scores.put(key, number(file, r.line(), key, v.text()));
                    else if (parses(v.text())) scores.put(key, number(file, r.line(), key, v.text())); // partial failure
                } else if (longShape && (key.equals("metric") || key.equals("score"))) {
                    if (key.equals("metric") || v.kind() == Kind.NULL) continue;
                    if (error == null) scores.put(longMetric, number(file, r.line(), "score", v.text()));
                } else if (!key.equals("error")) {
                    fields.add(key);
                    if (v.kind() != Kind.NULL) rowFields.put(key, v.text());
                }
            }
            if (longShape) metrics.add(longMetric);
            rows.add(new ScoreRow(r.line(), rowFields, scores, error, longShape ? longMetric : null));
        }
        for (String m : explicit)
            if (!metrics.contains(m))
                throw new IllegalArgumentException(file + ": no metric '" + m + "' (found metrics " + metrics
                        + ", other fields " + fields + "); check --metric");
        if (metrics.isEmpty())
            throw new IllegalArgumentException(file + ": no metric columns found (fields " + fields + "); name them with"
                    + " --metric, or write numeric fields such as \"pickscore\": 21.3 or \"metric\"/\"score\" pairs");
        return new ScoreTable(file, List.copyOf(rows), List.copyOf(metrics), List.copyOf(fields));
    }

    private static boolean reserved(String key, Set<String> alsoReserved) {
        return RESERVED.contains(key) || alsoReserved.contains(key) || key.endsWith("_id");
    }

    private static String errorText(RawRow r) {
        String e = text(r.cells().get("error"));
        return e == null || e.isBlank() ? null : e;
    }

    private static String text(Cell c) {
        return c == null || c.kind() == Kind.NULL ? null : c.text();
    }

    private static boolean parses(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return s.trim().equalsIgnoreCase("nan");
        }
    }

    private static double number(Path file, int line, String key, String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("nan")) return Double.NaN;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": metric '" + key + "' has the non-numeric value '"
                    + abbreviate(text) + "'; a failed row should carry an \"error\" field instead");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
