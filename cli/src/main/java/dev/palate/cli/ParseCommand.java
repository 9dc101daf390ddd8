package dev.palate.cli;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.palate.models.judges.PyJson;
import dev.palate.models.judges.QwenImageBench;
import dev.palate.models.judges.UnifiedReward2;
import dev.palate.models.judges.UnifiedRewardEdit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Re-parses saved outputs of the generative judges without loading a model (after a parser fix, or to check the
 * parsers): each input row gets {@code parsed} (DiffSynth's dict), {@code score} (what its {@code compute()} returns)
 * and, when the text held no verdict or DiffSynth would raise on it, {@code parse_error}. Rows are read and written
 * with Python's json semantics ({@code NaN}, ints vs floats), so the output reads like the Python reference's.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Re-parse saved judge outputs (no model needed). Input rows, one JSON object a line:",
                "  unifiedreward-edit: {\"raw\": text[, \"task\": pointwise|pairwise-rank|pairwise-score]}",
                "  unifiedreward:      {\"raw\": text}",
                "  qwen-image-bench:   {\"raw\": text, \"dimension\": \"Quality\"} (score = that dimension's level-1 score)"
                        + " or {\"raw_outputs\": {dimension: text, ...}[, \"dimensions\": [...]]} (score = compute()'s total, 0.0 when None)",
                "Output rows: the input fields + \"parsed\" + \"score\" (+ \"parse_error\"); a bad line gets \"error\" and the run goes on.",
                "Exit code 1 when some lines could not be read (rows with parse_error are not failures)."})
final class ParseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--metric", required = true, description = "unifiedreward-edit, unifiedreward or qwen-image-bench.")
    String metric;

    @Option(names = "--task", description = "unifiedreward-edit: the task of rows without a \"task\" field: pointwise (default),"
            + " pairwise-rank or pairwise-score (DiffSynth's edit_* names work too).")
    String task;

    @Option(names = "--input", required = true, description = "JSONL of saved outputs.")
    Path input;

    @Option(names = "--output", required = true, description = "JSONL output, one row per input row, same order.")
    Path output;

    @Override
    public Integer call() throws Exception {
        RowParser parser = parser();
        List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        int rows = 0, bad = 0, unparsed = 0;
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                rows++;
                Map<String, Object> out = row(lines.get(i), i + 1, parser);
                if (out.containsKey("error")) bad++;
                else if (out.containsKey("parse_error")) unparsed++;
                w.write(PyJson.dumps(out));
                w.write('\n');
            }
        }
        spec.commandLine().getErr().printf("palate parse: %d rows, %d without a verdict (parse_error), %d bad lines -> %s%n",
                rows, unparsed, bad, output);
        return bad > 0 ? 1 : 0; // 1: some lines could not be read (a row without a verdict is not a failure)
    }

    /** Parses one row's judge output into {@code row}; throws IllegalArgumentException for a row it cannot read. */
    private interface RowParser {
        void parse(Map<String, Object> row);
    }

    private Map<String, Object> row(String line, int number, RowParser parser) {
        Object value;
        try {
            value = PyJson.parse(line);
        } catch (IllegalArgumentException e) {
            return error(new LinkedHashMap<>(), number, "not JSON (" + e.getMessage() + ")");
        }
        if (!(value instanceof Map)) return error(new LinkedHashMap<>(), number, "expected a JSON object, got " + PyJson.dumps(value));
        @SuppressWarnings("unchecked")
        Map<String, Object> row = new LinkedHashMap<>((Map<String, Object>) value);
        row.remove("parse_error");
        row.remove("error");
        try {
            parser.parse(row);
            return row;
        } catch (IllegalArgumentException e) {
            row.remove("parsed");
            row.remove("score");
            return error(row, number, e.getMessage());
        }
    }

    private Map<String, Object> error(Map<String, Object> row, int number, String message) {
        row.put("line", number);
        row.put("error", input + " line " + number + ": " + message);
        return row;
    }

    private RowParser parser() {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        if (task != null && !m.equals("unifiedreward-edit"))
            throw new IllegalArgumentException("--task is for --metric unifiedreward-edit, not " + metric);
        switch (m) {
            case "unifiedreward-edit": {
                UnifiedRewardEdit.Task fallback = task == null ? UnifiedRewardEdit.DEFAULT_TASK : UnifiedRewardEdit.Task.of(task);
                return row -> {
                    UnifiedRewardEdit.Task t = row.containsKey("task") ? UnifiedRewardEdit.Task.of(string(row, "task")) : fallback;
                    UnifiedRewardEdit.Parsed p = UnifiedRewardEdit.parse(string(row, "raw"), t);
                    put(row, p.fields(), p.score(), p.parseError());
                };
            }
            case "unifiedreward":
                return row -> {
                    UnifiedReward2.Parsed p = UnifiedReward2.parse(string(row, "raw"));
                    put(row, p.fields(), p.score(), p.parseError());
                };
            case "qwen-image-bench":
                return ParseCommand::parseQwenImageBench;
            default:
                throw new IllegalArgumentException("unknown --metric '" + metric + "' for parse: use unifiedreward-edit, unifiedreward"
                        + " or qwen-image-bench");
        }
    }

    private static void parseQwenImageBench(Map<String, Object> row) {
        if (row.containsKey("raw_outputs")) {
            if (!(row.get("raw_outputs") instanceof Map))
                throw new IllegalArgumentException("\"raw_outputs\" must be an object {dimension: text}");
            Map<String, String> raw = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) row.get("raw_outputs")).entrySet()) {
                if (e.getValue() != null && !(e.getValue() instanceof String))
                    throw new IllegalArgumentException("\"raw_outputs\"[" + PyJson.dumps(e.getKey()) + "] must be a string");
                raw.put((String) e.getKey(), (String) e.getValue());
            }
            List<String> dims = dimensions(row.get("dimensions"), raw);
            for (String d : dims)
                if (!raw.containsKey(d)) throw new IllegalArgumentException("no raw output for dimension " + PyJson.dumps(d) + " in \"raw_outputs\"");
            QwenImageBench.SampleResult s = QwenImageBench.evaluate(dims, raw);
            put(row, s.evaluation(), s.score(), s.parseError());
        } else if (row.containsKey("raw") && row.containsKey("dimension")) {
            Object raw = row.get("raw");
            if (raw != null && !(raw instanceof String)) throw new IllegalArgumentException("\"raw\" must be a string");
            QwenImageBench.DimensionResult r = QwenImageBench.parse((String) raw, string(row, "dimension"));
            put(row, r.parsed(), r.score(), r.parseError());
        } else {
            throw new IllegalArgumentException("qwen-image-bench rows need {\"raw\", \"dimension\"} (one dimension) or"
                    + " {\"raw_outputs\"[, \"dimensions\"]} (a whole sample)");
        }
    }

    /** {@code "dimensions"}: a list of names, a string ({@code _dims_to_level1}'s forms), or absent (the keys of raw_outputs). */
    private static List<String> dimensions(Object spec, Map<String, String> raw) {
        if (spec == null) return QwenImageBench.dimensions(new ArrayList<>(raw.keySet()));
        if (spec instanceof String) return QwenImageBench.dimensions((String) spec);
        if (spec instanceof List) {
            List<String> names = new ArrayList<>();
            for (Object o : (List<?>) spec) {
                if (!(o instanceof String)) throw new IllegalArgumentException("\"dimensions\" must list names, got " + PyJson.dumps(o));
                names.add((String) o);
            }
            return QwenImageBench.dimensions(names);
        }
        throw new IllegalArgumentException("\"dimensions\" must be a list of names or a string, got " + PyJson.dumps(spec));
    }

    private static String string(Map<String, Object> row, String key) {
        Object v = row.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException("expected a string \"" + key + "\", got " + (row.containsKey(key) ? PyJson.dumps(v) : "none"));
        return (String) v;
    }

    private static void put(Map<String, Object> row, Object parsed, Object score, String parseError) {
        row.put("parsed", parsed);
        row.put("score", score);
        if (parseError != null) row.put("parse_error", parseError);
    }
}
