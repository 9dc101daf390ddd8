package dev.palate.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Reads a manifest: JSONL ({@code {"image": path, "prompt": text, ...}} per line) or CSV with a header row (RFC 4180:
 * quoted fields may span lines; {@code file_name}, the Hugging Face image-folder column, stands for {@code image}).
 * Relative image paths resolve against the manifest's folder. A malformed line (not JSON, not an object, bytes that
 * are not UTF-8, a CSV row with more or fewer fields than the header, a quote never closed) becomes a row with an
 * error naming the file and line, so one bad line never stops a run and never shifts the rows after it.
 */
public final class ManifestReader {
    /** Fields that may name the image, in the order they are looked for. */
    static final List<String> IMAGE_FIELDS = List.of("image", "file_name");

    private ManifestReader() {}

    public static List<InputRow> read(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) throw new IOException("manifest " + manifest + " does not exist or is not a file");
        String name = manifest.getFileName().toString().toLowerCase();
        Path base = manifest.toAbsolutePath().getParent();
        List<TextFile.Line> lines = TextFile.lines(manifest);
        return name.endsWith(".csv") ? readCsv(manifest, base, lines) : readJsonl(manifest, base, lines);
    }

    private static List<InputRow> readJsonl(Path manifest, Path base, List<TextFile.Line> lines) {
        List<InputRow> rows = new ArrayList<>();
        for (TextFile.Line l : lines) {
            String line = l.text().strip();
            if (line.isEmpty() && l.problem() == null) continue;
            String where = manifest + " line " + l.number();
            if (l.problem() != null) {
                rows.add(failed(rows.size(), l.number(), where, "not UTF-8 text (" + l.problem() + "); save the manifest as UTF-8"));
                continue;
            }
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(line);
            } catch (RuntimeException e) {
                rows.add(failed(rows.size(), l.number(), where, "not JSON (" + e.getMessage() + ")"));
                continue;
            }
            if (!parsed.isJsonObject()) {
                rows.add(failed(rows.size(), l.number(), where, "expected a JSON object such as {\"image\": \"a.png\", \"prompt\": \"...\"}, found "
                        + kind(parsed)));
                continue;
            }
            rows.add(row(rows.size(), where, base, Json.fields(parsed.getAsJsonObject())));
        }
        return rows;
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) return "an array";
        if (e.isJsonNull()) return "null";
        if (e.getAsJsonPrimitive().isNumber()) return "the number " + e;
        if (e.getAsJsonPrimitive().isBoolean()) return "the value " + e;
        return "a string";
    }

    private static List<InputRow> readCsv(Path manifest, Path base, List<TextFile.Line> lines) throws IOException {
        List<Csv.Record> records = Csv.parse(TextFile.text(lines));
        List<InputRow> rows = new ArrayList<>();
        if (records.isEmpty()) return rows;
        Csv.Record head = records.get(0);
        if (head.problem() != null || badBytes(lines, head) != null)
            throw new IOException(manifest + " line " + head.line() + ": the header row cannot be read ("
                    + (head.problem() != null ? head.problem() : badBytes(lines, head)) + ")");
        List<String> header = head.cells().stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String h : header)
            if (!seen.add(h)) throw new IOException(manifest + " line " + head.line() + ": the header names column '" + h + "' twice");
        for (Csv.Record r : records.subList(1, records.size())) {
            String where = manifest + " line " + r.line();
            String bad = badBytes(lines, r);
            if (bad != null) {
                rows.add(failed(rows.size(), r.line(), where, "not UTF-8 text (" + bad + "); save the manifest as UTF-8"));
            } else if (r.problem() != null) {
                rows.add(failed(rows.size(), r.line(), where, r.problem()));
            } else if (r.cells().size() != header.size()) {
                rows.add(failed(rows.size(), r.line(), where, r.cells().size() + " fields but the header has " + header.size()
                        + " (" + String.join(",", header) + "); quote fields that contain commas or line breaks"));
            } else {
                LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++) fields.put(header.get(c), r.cells().get(c));
                rows.add(row(rows.size(), where, base, fields));
            }
        }
        return rows;
    }

    /** The problem of the first non-UTF-8 line the record spans, or null. */
    private static String badBytes(List<TextFile.Line> lines, Csv.Record r) {
        for (int n = r.line(); n <= r.endLine() && n <= lines.size(); n++)
            if (lines.get(n - 1).problem() != null) return "line " + n + ": " + lines.get(n - 1).problem();
        return null;
    }

    private static InputRow failed(int index, int line, String where, String problem) {
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        fields.put("line", line);
        return new InputRow(index, null, null, fields, where + ": " + problem, where);
    }

    private static InputRow row(int index, String where, Path base, LinkedHashMap<String, Object> fields) {
        String field = IMAGE_FIELDS.stream().filter(fields::containsKey).findFirst().orElse(null);
        if (field == null)
            return new InputRow(index, null, null, fields, where + ": no \"image\" field (each row needs \"image\": PATH)", where);
        Object image = fields.get(field);
        if (!(image instanceof String s))
            return new InputRow(index, null, null, fields, where + ": \"" + field + "\" must be a path (a string), found "
                    + Json.GSON.toJson(image), where);
        if (s.isBlank()) return new InputRow(index, null, null, fields, where + ": \"" + field + "\" is empty", where);
        Object prompt = fields.get("prompt");
        if (prompt != null && !(prompt instanceof String))
            return new InputRow(index, null, null, fields, where + ": \"prompt\" must be text (a string), found "
                    + Json.GSON.toJson(prompt), where);
        return new InputRow(index, base.resolve(s).normalize(), (String) prompt, fields, null, where, base);
    }
}
