package dev.palate.cli.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.palate.models.ImageInput;
import dev.palate.models.Scorer;

/**
 * Scores rows in batches with one or more metrics and appends each finished batch to the output, in input order.
 * Each image is decoded once per run whatever the number of metrics, and the next batch is decoded and
 * preprocessed for every metric ({@link Scorer#prepare}) on a background thread while the models work on the
 * current one. A row that fails (unreadable image, missing
 * prompt, a model error on that image) gets an {@code error} field; the other rows are unaffected.
 */
public final class ScoreRun {
    /** A metric and the output column its values go to. */
    public record Metric(String column, Scorer scorer) {}

    public record Summary(int scored, int failed, int skipped) {}

    private final List<Metric> metrics;
    private final int batchSize;
    private final ResultWriter writer;

    public ScoreRun(List<Metric> metrics, int batchSize, ResultWriter writer) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metric to score");
        this.metrics = List.copyOf(metrics);
        this.batchSize = batchSize;
        this.writer = writer;
    }

    /** The rows of {@code rows} the output does not have yet. */
    public List<InputRow> pending(List<InputRow> rows) {
        return rows.stream().filter(r -> !writer.isDone(r)).toList();
    }

    public Summary run(List<InputRow> rows, Progress progress) throws IOException {
        List<InputRow> todo = pending(rows);
        int skipped = rows.size() - todo.size();
        List<List<InputRow>> batches = new ArrayList<>();
        for (int i = 0; i < todo.size(); i += batchSize) batches.add(todo.subList(i, Math.min(todo.size(), i + batchSize)));
        ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "palate-decode");
            t.setDaemon(true);
            return t;
        });
        int scored = 0, failed = 0;
        try {
            Future<List<Prepared>> next = batches.isEmpty() ? null : decoder.submit(() -> decode(batches.get(0)));
            for (int b = 0; b < batches.size(); b++) {
                List<Prepared> batch = await(next);
                next = b + 1 < batches.size() ? submit(decoder, batches.get(b + 1)) : null;
                List<LinkedHashMap<String, Object>> out = score(batch);
                writer.write(out);
                int errors = (int) out.stream().filter(r -> r.containsKey("error")).count();
                scored += out.size() - errors;
                failed += errors;
                if (progress != null) progress.advance(out.size(), errors);
            }
        } finally {
            decoder.shutdownNow();
        }
        return new Summary(scored, failed, skipped);
    }

    private Future<List<Prepared>> submit(ExecutorService decoder, List<InputRow> batch) {
        return decoder.submit(() -> decode(batch));
    }

    private static List<Prepared> await(Future<List<Prepared>> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            throw new IOException("decoding failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A row with its decoded image, or the reason it has none. */
    private record Prepared(InputRow row, ImageInput image, String error) {}

    /** Decodes each image once, then lets every metric preprocess it (resize, normalise) for the coming batch. */
    private List<Prepared> decode(List<InputRow> rows) {
        // in parallel, in input order; a file that fails keeps its message for its row
        List<Prepared> out = rows.parallelStream().map(ScoreRun::decodeRow).toList();
        List<ImageInput> decoded = out.stream().map(Prepared::image).filter(i -> i != null).toList();
        for (Metric m : metrics) m.scorer().prepare(decoded);
        return out;
    }

    private static Prepared decodeRow(InputRow r) {
        if (r.error() != null) return new Prepared(r, null, r.error());
        ImageInput in = ImageInput.of(r.image());
        try {
            in.decoded();
            return new Prepared(r, in, null);
        } catch (RuntimeException e) {
            return new Prepared(r, null, message(e));
        }
    }


    private List<LinkedHashMap<String, Object>> score(List<Prepared> batch) {
        List<LinkedHashMap<String, Object>> out = new ArrayList<>(batch.size());
        List<List<String>> errors = new ArrayList<>();
        for (Prepared p : batch) {
            out.add(new LinkedHashMap<>(p.row().fields()));
            List<String> e = new ArrayList<>();
            if (p.error() != null) e.add(p.error());
            errors.add(e);
        }
        for (Metric m : metrics) {
            boolean usesPrompt = m.scorer().metric().usesPrompt();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Prepared p = batch.get(i);
                if (p.image() == null) continue;
                if (usesPrompt && p.row().prompt() == null) {
                    errors.get(i).add(m.column() + ": no prompt for this image (metric needs one)");
                    continue;
                }
                idx.add(i);
            }
            List<Scored> values = scoreOrIsolate(m, batch, idx, errors);
            for (int k = 0; k < idx.size(); k++) {
                int i = idx.get(k);
                Scored v = values.get(k);
                if (v != null && !Float.isNaN(v.value())) put(out.get(i), m, v);
            }
        }
        for (int i = 0; i < out.size(); i++)
            if (!errors.get(i).isEmpty()) {
                if (metrics.size() == 1) out.get(i).put("metric", metrics.get(0).column());
                out.get(i).put("error", String.join("; ", errors.get(i)));
            }
        return out;
    }

    /** One item's score and side outputs ({@link dev.palate.models.ScoreResult#fields}). */
    private record Scored(float value, java.util.Map<String, Object> fields) {
        static List<Scored> all(dev.palate.models.ScoreResult r) {
            List<Scored> out = new ArrayList<>(r.size());
            for (int i = 0; i < r.size(); i++) out.add(new Scored(r.get(i), r.fieldsOf(i)));
            return out;
        }
    }

    /**
     * The score goes to {@code score} (one metric) or the metric's column; side outputs beside it, named as they are
     * with one metric ({@code log_sigma}) and prefixed by the column with several ({@code hpsv3.log_sigma}).
     */
    private void put(LinkedHashMap<String, Object> row, Metric m, Scored v) {
        if (metrics.size() == 1) {
            row.put("metric", m.column());
            row.put("score", v.value());
            v.fields().forEach(row::put);
        } else {
            row.put(m.column(), v.value());
            v.fields().forEach((k, x) -> row.put(m.column() + "." + k, x));
        }
    }

    /** Scores the rows at idx as one call; when that call fails, row by row so only the bad rows fail (null). */
    private static List<Scored> scoreOrIsolate(Metric m, List<Prepared> batch, List<Integer> idx, List<List<String>> errors) {
        List<Scored> values = new ArrayList<>();
        if (idx.isEmpty()) return values;
        List<String> prompts = new ArrayList<>();
        List<ImageInput> images = new ArrayList<>();
        for (int i : idx) {
            prompts.add(batch.get(i).row().prompt() == null ? "" : batch.get(i).row().prompt());
            images.add(batch.get(i).image());
        }
        try {
            return Scored.all(m.scorer().score(prompts, images));
        } catch (RuntimeException batchFailure) {
            for (int k = 0; k < idx.size(); k++) {
                try {
                    values.add(Scored.all(m.scorer().score(List.of(prompts.get(k)), List.of(images.get(k)))).get(0));
                } catch (RuntimeException e) {
                    values.add(null);
                    errors.get(idx.get(k)).add(m.column() + ": " + message(e));
                }
            }
            return values;
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
