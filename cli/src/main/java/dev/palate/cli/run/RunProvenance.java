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
 * The provenance record of a scores file, {@code <output>.meta.json} (never inside the scores file, which stays one
 * line per input row): what every row's values were made with ({@code metrics}: per metric its options, the
 * weights as given and as found with their identity, device and dtype), the batch size whose boundaries the rows
 * follow, and one entry per {@code palate score} run that wrote to it.
 *
 * <pre>
 * {"format": 2, "scores": "scores.jsonl", "batch_size": 16,
 *  "metrics": [{"name": "hpsv2", "options": {"resize": "antialias"},
 *      "models": {"model": {"spec": "xswu/HPSv2/HPS_v2_compressed.pt", "path": "/home/u/.cache/.../HPS_v2_compressed.pt",
 *                           "bytes": 3944692173, "files": 1, "sample_sha256": "9f2c...", "snapshot": "697f..."}},
 *      "device": "cpu", "dtype": "fp32"}],
 *  "runs": [{"started": "2026-12-02T10:00:00Z", "mode": "new", "batch_size": 16, "rows": 58, "metrics": [...]}]}
 * </pre>
 *
 * A resume compares this run's metrics with {@code metrics}: what is missing or made differently (options, weights'
 * path/size/sample hash, dtype) is computed again; the device is recorded but not compared (it changes the last
 * digits only). Format 1 files (runs only, written before) are read as if their last run described every row.
 */
public final class RunProvenance {
    static final int FORMAT = 2;
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

        /** Null when scores of {@code earlier} and this are the same computation; else what differs, in words. */
        public String differenceFrom(MetricRecord earlier) {
            List<String> d = new ArrayList<>();
            if (!options.equals(earlier.options)) d.add("options " + describe(earlier.options) + " -> " + describe(options));
            if (!java.util.Objects.equals(dtype, earlier.dtype)) d.add("dtype " + earlier.dtype + " -> " + dtype);
            java.util.Set<String> roles = new java.util.TreeSet<>(models.keySet());
            roles.addAll(earlier.models.keySet());
            for (String role : roles) {
                ModelRecord now = models.get(role), then = earlier.models.get(role);
                if (now == null || then == null || !now.sameWeights(then))
                    d.add(role + " weights " + (then == null ? "none" : then.describe()) + " -> " + (now == null ? "none" : now.describe()));
            }
            return d.isEmpty() ? null : String.join("; ", d);
        }
    }

    /**
     * @param spec     what the user gave or the metric's default id
     * @param path     where it resolved, absolute; null when it is not on this machine (an optional role)
     * @param identity size, file count, sample hash and snapshot of what is at {@code path}; null when not found
     *                 (or in a format 1 record)
     */
    public record ModelRecord(String spec, String path, ModelIdentity identity) {
        public ModelRecord(String spec, String path) {
            this(spec, path, null);
        }

        /** Same path and, where both records have one, the same identity. */
        boolean sameWeights(ModelRecord o) {
            if (!java.util.Objects.equals(path, o.path)) return false;
            if (identity == null || o.identity == null) return true;
            return identity.bytes() == o.identity.bytes() && identity.files() == o.identity.files()
                    && identity.sample().equals(o.identity.sample());
        }

        String describe() {
            return path == null ? spec + " (not found)" : path + (identity == null ? "" : " (" + identity.bytes() + " bytes, sample sha256 "
                    + identity.sample().substring(0, 12) + ")");
        }
    }

    /**
     * One {@code palate score} invocation that wrote to the file.
     *
     * @param started   ISO-8601 instant
     * @param mode      new (a new file), append (went on from a row), rewrite (recomputed some values of earlier rows)
     * @param batchSize its --batch-size
     * @param rows      the rows it wrote or rewrote (-1: unknown)
     */
    public record Run(String started, List<MetricRecord> metrics, String mode, int batchSize, int rows) {
        public Run {
            metrics = List.copyOf(metrics);
        }

        public Run(String started, List<MetricRecord> metrics) {
            this(started, metrics, null, -1, -1);
        }
    }

    /**
     * What a scores file's rows were made with.
     *
     * @param metrics   per metric, in column order
     * @param batchSize the batch size whose boundaries (rows kB ... (k+1)B-1) the last run followed; -1 unknown
     * @param runs      the history
     */
    public record Record(List<MetricRecord> metrics, int batchSize, List<Run> runs) {
        public Record {
            metrics = List.copyOf(metrics);
            runs = List.copyOf(runs);
        }

        public MetricRecord metric(String name) {
            return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
        }
    }

    private RunProvenance() {}

    /** {@code scores.jsonl} → {@code scores.jsonl.meta.json}, beside it. */
    public static Path metaFile(Path scores) {
        return scores.resolveSibling(scores.getFileName() + ".meta.json");
    }

    /** The runs recorded for {@code scores}; empty when it has no meta file (written before Palate kept one). */
    public static List<Run> read(Path scores) {
        Record r = readRecord(scores);
        return r == null ? List.of() : r.runs();
    }

    /** The record of {@code scores}, or null when it has none. */
    public static Record readRecord(Path scores) {
        Path meta = metaFile(scores);
        if (!Files.exists(meta)) return null;
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(meta + ": not a readable provenance record (" + e.getMessage()
                    + "); move it away if it does not belong to " + scores.getFileName());
        }
        try {
            List<Run> runs = new ArrayList<>();
            JsonArray arr = root.has("runs") ? root.getAsJsonArray("runs") : new JsonArray();
            for (JsonElement r : arr) {
                JsonObject run = r.getAsJsonObject();
                List<MetricRecord> metrics = new ArrayList<>();
                for (JsonElement m : run.getAsJsonArray("metrics")) metrics.add(metric(m.getAsJsonObject()));
                runs.add(new Run(text(run, "started"), metrics, text(run, "mode"), integer(run, "batch_size"), integer(run, "rows")));
            }
            List<MetricRecord> current = new ArrayList<>();
            if (root.has("metrics")) for (JsonElement m : root.getAsJsonArray("metrics")) current.add(metric(m.getAsJsonObject()));
            else if (!runs.isEmpty()) current.addAll(runs.get(runs.size() - 1).metrics()); // format 1
            return new Record(current, integer(root, "batch_size"), runs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(meta + ": not a readable provenance record (" + e.getMessage()
                    + "); move it away if it does not belong to " + scores.getFileName());
        }
    }

    /** Adds {@code run} to the record of {@code scores} (written to a temporary file, then moved over the old one). */
    public static void append(Path scores, Run run) throws IOException {
        write(scores, new Record(run.metrics(), run.batchSize(), concat(read(scores), run)));
    }

    private static List<Run> concat(List<Run> runs, Run run) {
        List<Run> all = new ArrayList<>(runs);
        all.add(run);
        return all;
    }

    /** The record after a run: {@code current} describes every row now; the run joins the history (or starts it). */
    public static Record after(Record before, List<MetricRecord> current, Run run) {
        return new Record(current, run.batchSize(), concat(before == null ? List.of() : before.runs(), run));
    }

    /** The record as JSON, as it is written to the file. */
    public static String toJson(Path scores, Record record) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("scores", scores.getFileName().toString());
        root.addProperty("batch_size", record.batchSize());
        JsonArray metrics = new JsonArray();
        for (MetricRecord m : record.metrics()) metrics.add(json(m));
        root.add("metrics", metrics);
        JsonArray arr = new JsonArray();
        for (Run r : record.runs()) arr.add(json(r));
        root.add("runs", arr);
        return PRETTY.toJson(root) + "\n";
    }

    /** Writes {@code record} as the record of {@code scores} (a temporary file, then moved over the old one). */
    public static void write(Path scores, Record record) throws IOException {
        Path meta = metaFile(scores), tmp = meta.resolveSibling(meta.getFileName() + ".tmp");
        Files.writeString(tmp, toJson(scores, record), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Refuses scores files whose records show one metric name scored with different options (a scores file without a
     * meta file passes, as before Palate kept them).
     */
    public static void requireSameOptions(List<Path> scoresFiles) {
        Map<String, Map<String, String>> seen = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (Path f : scoresFiles) {
            Record rec = readRecord(f);
            if (rec == null) continue;
            // format 2: the current metrics describe every row; format 1: each run's
            List<Run> runs = rec.runs().isEmpty() || rec.runs().get(rec.runs().size() - 1).mode() == null ? rec.runs()
                    : List.of(new Run(rec.runs().get(rec.runs().size() - 1).started(), rec.metrics()));
            for (Run r : runs)
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
    }

    static String describe(Map<String, String> options) {
        if (options.isEmpty()) return "no options";
        List<String> parts = new ArrayList<>();
        new TreeMap<>(options).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    private static JsonObject json(Run r) {
        JsonObject o = new JsonObject();
        o.addProperty("started", r.started());
        if (r.mode() != null) o.addProperty("mode", r.mode());
        if (r.batchSize() > 0) o.addProperty("batch_size", r.batchSize());
        if (r.rows() >= 0) o.addProperty("rows", r.rows());
        JsonArray metrics = new JsonArray();
        for (MetricRecord m : r.metrics()) metrics.add(json(m));
        o.add("metrics", metrics);
        return o;
    }

    private static JsonObject json(MetricRecord m) {
        JsonObject mo = new JsonObject();
        mo.addProperty("name", m.name());
        mo.add("options", strings(m.options()));
        JsonObject models = new JsonObject();
        m.models().forEach((role, x) -> {
            JsonObject mx = new JsonObject();
            mx.addProperty("spec", x.spec());
            mx.addProperty("path", x.path());
            if (x.identity() != null) {
                mx.addProperty("bytes", x.identity().bytes());
                mx.addProperty("files", x.identity().files());
                mx.addProperty("sample_sha256", x.identity().sample());
                if (x.identity().snapshot() != null) mx.addProperty("snapshot", x.identity().snapshot());
            }
            models.add(role, mx);
        });
        mo.add("models", models);
        mo.addProperty("device", m.device());
        mo.addProperty("dtype", m.dtype());
        return mo;
    }

    private static MetricRecord metric(JsonObject m) {
        Map<String, String> options = new LinkedHashMap<>();
        if (m.has("options")) m.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
        Map<String, ModelRecord> models = new LinkedHashMap<>();
        if (m.has("models"))
            m.getAsJsonObject("models").entrySet().forEach(e -> {
                JsonObject x = e.getValue().getAsJsonObject();
                ModelIdentity id = x.has("bytes") ? new ModelIdentity(x.get("bytes").getAsLong(), integer(x, "files"),
                        text(x, "sample_sha256"), text(x, "snapshot")) : null;
                models.put(e.getKey(), new ModelRecord(text(x, "spec"), text(x, "path"), id));
            });
        return new MetricRecord(text(m, "name"), options, models, text(m, "device"), text(m, "dtype"));
    }

    private static JsonObject strings(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    private static int integer(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? -1 : e.getAsInt();
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
