package dev.palate.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Reads a manifest: JSONL ({@code {"image": path, "prompt": text, ...}} per line) or CSV with a header row.
 * Relative image paths resolve against the manifest's folder. A malformed line becomes a row with an error, so
 * one bad line never stops a run.
 */
public final class ManifestReader {
    private ManifestReader() {}

    public static List<InputRow> read(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) throw new IOException("manifest " + manifest + " does not exist or is not a file");
        String name = manifest.getFileName().toString().toLowerCase();
        Path base = manifest.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        return name.endsWith(".csv") ? readCsv(manifest, base, lines) : readJsonl(manifest, base, lines);
    }

    private static List<InputRow> readJsonl(Path manifest, Path base, List<String> lines) {
        List<InputRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            try {
                JsonElement parsed = JsonParser.parseString(line);
                if (!parsed.isJsonObject()) throw new IllegalArgumentException("not a JSON object");
                fields.putAll(Json.fields(parsed.getAsJsonObject()));
            } catch (RuntimeException e) {
                fields.put("line", i + 1);
                rows.add(new InputRow(rows.size(), null, null, fields,
                        manifest + " line " + (i + 1) + ": not a JSON object (" + e.getMessage() + ")"));
                continue;
            }
            rows.add(row(rows.size(), manifest, i + 1, base, fields));
        }
        return rows;
    }

    private static List<InputRow> readCsv(Path manifest, Path base, List<String> lines) throws IOException {
        List<InputRow> rows = new ArrayList<>();
        if (lines.isEmpty()) return rows;
        List<String> header = Csv.parseLine(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            List<String> cells = Csv.parseLine(lines.get(i));
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) fields.put(header.get(c), c < cells.size() ? cells.get(c) : "");
            rows.add(row(rows.size(), manifest, i + 1, base, fields));
        }
        return rows;
    }

    private static InputRow row(int index, Path manifest, int line, Path base, LinkedHashMap<String, Object> fields) {
        Object image = fields.get("image");
        Object prompt = fields.get("prompt");
        if (!(image instanceof String) || ((String) image).isEmpty())
            return new InputRow(index, null, null, fields, manifest + " line " + line + ": no \"image\" field");
        Path resolved = base.resolve((String) image).normalize();
        return new InputRow(index, resolved, prompt == null ? null : prompt.toString(), fields, null);
    }
}
