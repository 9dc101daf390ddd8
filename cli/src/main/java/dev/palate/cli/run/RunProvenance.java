package dev.palate.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The provenance record of a scores file, {@code <output>.meta.json}: one entry per {@code palate score} run that
 * wrote rows to it (a resume adds one), each listing per metric what decides its numbers.
 *
 * <pre>
 * {"format": 1, "runs": [{"started": "2026-12-02T10:00:00Z", "metrics": [
 *     {"name": "hpsv2", "options": {"resize": "antialias"},
 *      "models": {"model": {"spec": "xswu/HPSv2/HPS_v2_compressed.pt", "path": "/home/u/.cache/.../HPS_v2_compressed.pt"}},
 *      "device": "cpu", "dtype": "fp32"}]}]}
 * </pre>
 *
 * A model entry is an object so that a later version can add the weights' identity (a hash) beside its path; readers
 * ignore fields they do not know.
 */
public final class RunProvenance {
    static final int FORMAT = 1;
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().serializeNulls().create();

    /**
     * One metric of a run.
     *
     * @param options every option the metric declares, defaults filled in
     * @param models  role → where its weights were looked up and found
     */
    public record MetricRecord(String name, Map<String, String> options, Map<String, ModelRecord> models, String device, String dtype) {
        public MetricRecord {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options)); // declaration order, for the file
            models = Collections.unmodifiableMap(new TreeMap<>(models));
        }
    }

    /**
     * @param spec what the user gave or the metric's default id
     * @param path where it resolved, absolute; null when it is not on this machine (an optional role)
     */
    public record ModelRecord(String spec, String path) {
    }

    /** One {@code palate score} invocation; {@code started} is an ISO-8601 instant. */
    public record Run(String started, List<MetricRecord> metrics) {
        public Run {
            metrics = List.copyOf(metrics);
        }
    }

    private RunProvenance() {}

    /** {@code scores.jsonl} → {@code scores.jsonl.meta.json}, beside it. */
    public static Path metaFile(Path scores) {
        return scores.resolveSibling(scores.getFileName() + ".meta.json");
    }

    /** The runs recorded for {@code scores}; empty when it has no meta file (written before Palate kept one). */
    public static List<Run> read(Path scores) {
        Path meta = metaFile(scores);
        if (!Files.exists(meta)) return List.of();
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(meta + ": not a readable provenance record (" + e.getMessage()
                    + "); move it away if it does not belong to " + scores.getFileName());
        }
        List<Run> runs = new ArrayList<>();
        JsonArray arr = root.has("runs") ? root.getAsJsonArray("runs") : new JsonArray();
        for (JsonElement r : arr) {
            JsonObject run = r.getAsJsonObject();
            List<MetricRecord> metrics = new ArrayList<>();
            for (JsonElement m : run.getAsJsonArray("metrics")) metrics.add(metric(m.getAsJsonObject()));
            runs.add(new Run(text(run, "started"), metrics));
        }
        return runs;
    }

    /** Adds {@code run} to the record of {@code scores} (written to a temporary file, then moved over the old one). */
    public static void append(Path scores, Run run) throws IOException {
        List<Run> runs = new ArrayList<>(read(scores));
        runs.add(run);
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("scores", scores.getFileName().toString());
        JsonArray arr = new JsonArray();
        for (Run r : runs) arr.add(json(r));
        root.add("runs", arr);
        Path meta = metaFile(scores), tmp = meta.resolveSibling(meta.getFileName() + ".tmp");
        Files.writeString(tmp, PRETTY.toJson(root) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Refuses to resume {@code scores} when an earlier run scored one of these metrics with other options: the file
     * would then hold rows of one metric name that are not comparable.
     *
     * @param options metric → its options with defaults filled in, as this run will score
     */
    public static void requireResumable(Path scores, Map<String, Map<String, String>> options) {
        for (Run r : read(scores))
            for (MetricRecord m : r.metrics()) {
                Map<String, String> now = options.get(m.name());
                if (now != null && !now.equals(m.options()))
                    throw new IllegalArgumentException(scores + " holds " + m.name() + " scores made with " + describe(m.options())
                            + " (run of " + r.started() + ", " + metaFile(scores).getFileName() + "); this run asks for "
                            + describe(now) + ". Scores made with different options are not comparable: pass another --output,"
                            + " or the earlier options to resume");
            }
    }

    /**
     * Refuses scores files whose records show one metric name scored with different options (a scores file without a
     * meta file passes, as before Palate kept them).
     */
    public static void requireSameOptions(List<Path> scoresFiles) {
        Map<String, Map<String, String>> seen = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (Path f : scoresFiles)
            for (Run r : read(f))
                for (MetricRecord m : r.metrics()) {
                    String here = metaFile(f).getFileName() + " (run of " + r.started() + ")";
                    Map<String, String> first = seen.putIfAbsent(m.name(), m.options());
                    if (first == null) where.put(m.name(), here);
                    else if (!first.equals(m.options()))
                        throw new IllegalArgumentException("the " + m.name() + " scores were made with different options: "
                                + describe(first) + " in " + where.get(m.name()) + ", " + describe(m.options()) + " in " + here
                                + "; scores of different options are not comparable: rescore them with one setting"
                                + " (--set " + m.name() + ":KEY=VALUE) into one file");
                }
    }

    private static String describe(Map<String, String> options) {
        if (options.isEmpty()) return "no options";
        List<String> parts = new ArrayList<>();
        new TreeMap<>(options).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    private static JsonObject json(Run r) {
        JsonObject o = new JsonObject();
        o.addProperty("started", r.started());
        JsonArray metrics = new JsonArray();
        for (MetricRecord m : r.metrics()) {
            JsonObject mo = new JsonObject();
            mo.addProperty("name", m.name());
            mo.add("options", strings(m.options()));
            JsonObject models = new JsonObject();
            m.models().forEach((role, x) -> {
                JsonObject mx = new JsonObject();
                mx.addProperty("spec", x.spec());
                mx.addProperty("path", x.path());
                models.add(role, mx);
            });
            mo.add("models", models);
            mo.addProperty("device", m.device());
            mo.addProperty("dtype", m.dtype());
            metrics.add(mo);
        }
        o.add("metrics", metrics);
        return o;
    }

    private static MetricRecord metric(JsonObject m) {
        Map<String, String> options = new LinkedHashMap<>();
        if (m.has("options")) m.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
        Map<String, ModelRecord> models = new LinkedHashMap<>();
        if (m.has("models"))
            m.getAsJsonObject("models").entrySet().forEach(e ->
                    models.put(e.getKey(), new ModelRecord(text(e.getValue().getAsJsonObject(), "spec"), text(e.getValue().getAsJsonObject(), "path"))));
        return new MetricRecord(text(m, "name"), options, models, text(m, "device"), text(m, "dtype"));
    }

    private static JsonObject strings(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
