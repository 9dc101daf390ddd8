package dev.palate.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.preprocess.DecodeLimits;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.ImageHeader;

/**
 * Scores rows in batches aligned to input positions (batch k = rows kB ... (k+1)B−1, whatever row a run starts
 * from, so a resumed run gives every row the batch neighbours an uninterrupted run gives it) and writes each
 * finished batch, in input order. Each image is decoded once per run whatever the number of metrics; the next batch
 * is decoded and preprocessed for every metric ({@link Scorer#prepare}) on background threads while the models work
 * on the current one, within one {@link PixelBudget} of decoded pixels, and a prepared image drops its full-size
 * pixels. A row that fails (unreadable image, missing prompt, a model error or non-finite output on that image) gets
 * an {@code error} naming the file and metric; the other rows are unaffected.
 */
public final class ScoreRun {
    /** A metric and the output column its values go to. */
    public record Metric(String column, Scorer scorer) {}

    /**
     * @param written rows written
     * @param failed  written rows with an error
     * @param stopped whether {@code --fail-on-error} stopped the run at a failed row
     */
    public record Summary(int written, int failed, boolean stopped) {
        public int scored() { return written - failed; }
    }

    /** How images are read: the size limit, the shared budget, where warnings go. */
    public record Decoding(DecodeLimits limits, PixelBudget budget, Consumer<String> warnings) {
        public static Decoding defaults() {
            return new Decoding(DecodeLimits.PILLOW, PixelBudget.forHeap(), w -> { });
        }
    }

    private final List<Metric> metrics;
    private final RowLayout layout;
    private final int batchSize;
    private final Decoding decoding;
    private final boolean failOnError;

    public ScoreRun(List<Metric> metrics, int batchSize, Decoding decoding, boolean failOnError) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metric to score");
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        this.metrics = List.copyOf(metrics);
        this.layout = new RowLayout(metrics.stream().map(Metric::column).toList());
        this.batchSize = batchSize;
        this.decoding = decoding;
        this.failOnError = failOnError;
    }

    /** Scores every row into a new file (no earlier rows). */
    public Summary run(List<InputRow> rows, ResultWriter writer, Progress progress) throws IOException {
        return run(rows, 0, k -> null, writer, progress);
    }

    /**
     * Writes rows {@code from} (a batch boundary, or 0) to the end, after the earlier rows of {@code plan}: row k &lt;
     * plan.start() gets {@code earlier.apply(k)}'s work, the others are scored afresh.
     *
     * @param earlier the work for row k, or null for "score everything"
     */
    public Summary run(List<InputRow> rows, int from, java.util.function.IntFunction<ResumePlan.RowWork> earlier,
                       ResultWriter writer, Progress progress) throws IOException {
        if (from % batchSize != 0 && from != rows.size()) throw new IllegalArgumentException("a run starts at a batch boundary");
        List<List<Task>> batches = new ArrayList<>();
        for (int b = from; b < rows.size(); b += batchSize) {
            List<Task> batch = new ArrayList<>();
            for (int k = b; k < Math.min(rows.size(), b + batchSize); k++) {
                ResumePlan.RowWork w = earlier.apply(k);
                Set<String> compute = w == null ? Set.copyOf(layout.metrics()) : w.compute();
                batch.add(new Task(rows.get(k), compute, w == null ? Map.of() : w.kept(), w == null ? null : w.keptError()));
            }
            batches.add(batch);
        }
        ExecutorService prefetch = Executors.newSingleThreadExecutor(daemon("palate-prefetch"));
        ExecutorService decoders = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), daemon("palate-decode"));
        int written = 0, failed = 0;
        try {
            Future<List<Prepared>> next = batches.isEmpty() ? null : prefetch.submit(() -> decode(batches.get(0), decoders));
            for (int b = 0; b < batches.size(); b++) {
                List<Prepared> batch = await(next);
                int following = b + 1;
                next = following < batches.size() ? prefetch.submit(() -> decode(batches.get(following), decoders)) : null;
                List<LinkedHashMap<String, Object>> out = score(batch);
                writer.write(out);
                int errors = (int) out.stream().filter(r -> r.containsKey("error")).count();
                written += out.size();
                failed += errors;
                int touched = (int) batch.stream().filter(p -> !p.task().compute().isEmpty()).count();
                if (progress != null) progress.advance(touched, errors);
                if (failOnError && errors > 0) return new Summary(written, failed, true);
            }
        } finally {
            prefetch.shutdownNow();
            decoders.shutdownNow();
        }
        return new Summary(written, failed, false);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            throw new IOException("decoding failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** One row of a batch: what to compute, what to keep. */
    private record Task(InputRow row, Set<String> compute, Map<String, RowLayout.MetricValue> kept, String keptError) {}

    /** A row with its prepared image, or the reason it has none. */
    private record Prepared(Task task, ImageInput image, String error) {}

    /** Decodes each image once (in parallel, in input order), lets every metric that needs it prepare it, drops the pixels. */
    private List<Prepared> decode(List<Task> tasks, ExecutorService decoders) throws IOException {
        List<Future<Prepared>> fs = new ArrayList<>();
        for (Task t : tasks) fs.add(decoders.submit(() -> decodeRow(t)));
        List<Prepared> out = new ArrayList<>();
        for (Future<Prepared> f : fs) out.add(await(f));
        return out;
    }

    private Prepared decodeRow(Task t) throws InterruptedException {
        InputRow r = t.row();
        if (t.compute().isEmpty()) return new Prepared(t, null, null);
        if (r.error() != null) return new Prepared(t, null, r.error());
        String name = r.image().toString();
        byte[] bytes;
        ImageHeader header;
        try {
            bytes = ImageDecoder.read(r.image());
            header = ImageHeader.probe(bytes);
            decoding.limits().check(header, name);
        } catch (RuntimeException e) {
            return new Prepared(t, null, message(e));
        }
        if (header.known() && header.pixels() > decoding.limits().warnPixels())
            decoding.warnings().accept(name + ": " + header.width() + "x" + header.height() + " = " + header.pixels()
                    + " pixels, above " + decoding.limits().warnPixels() + " (where Pillow warns of a decompression bomb); decoding it");
        long pixels = header.known() ? Math.max(1, header.pixels()) : Math.max(1, bytes.length);
        decoding.budget().acquire(pixels);
        try {
            ImageInput in = ImageInput.of(bytes, name, decoding.limits());
            try {
                in.decoded();
            } catch (RuntimeException e) {
                return new Prepared(t, null, message(e));
            }
            try {
                attachRowInputs(r, in);
            } catch (RuntimeException e) {
                return new Prepared(t, null, message(e));
            }
            for (Metric m : metrics) if (t.compute().contains(m.column())) m.scorer().prepare(List.of(in));
            in.releaseDecoded();
            return new Prepared(t, in, null);
        } finally {
            decoding.budget().release(pixels);
        }
    }

    /**
     * What a multi-image metric needs beyond image and prompt: the row's further images ({@link InputRow#IMAGE_FIELDS},
     * resolved like {@code image}, decoded when a metric asks, under the same limits) and its other text fields (a
     * per-row {@code task}), as {@link ImageInput#attribute}s.
     */
    private void attachRowInputs(InputRow r, ImageInput in) {
        for (String field : InputRow.IMAGE_FIELDS) {
            Path p = r.imageField(field);
            if (p != null) in.attach(field, ImageInput.of(p, decoding.limits()));
        }
        r.fields().forEach((k, v) -> {
            if (v instanceof String s && !InputRow.IMAGE_FIELDS.contains(k) && !k.equals("image")) in.attach(k, s);
        });
    }

    private List<LinkedHashMap<String, Object>> score(List<Prepared> batch) {
        List<Map<String, RowLayout.MetricValue>> values = new ArrayList<>();
        List<List<String>> errors = new ArrayList<>();
        for (Prepared p : batch) {
            values.add(new LinkedHashMap<>(p.task().kept()));
            List<String> e = new ArrayList<>();
            if (p.error() != null) e.add(p.error());
            errors.add(e);
        }
        for (Metric m : metrics) {
            boolean usesPrompt = m.scorer().metric().usesPrompt();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Prepared p = batch.get(i);
                if (!p.task().compute().contains(m.column()) || p.image() == null) continue;
                if (usesPrompt && p.task().row().prompt() == null) {
                    errors.get(i).add(m.column() + ": no prompt for " + p.task().row().image() + " (" + p.task().row().source()
                            + " has no \"prompt\"; " + m.column() + " compares the image with its prompt)");
                    continue;
                }
                idx.add(i);
            }
            ScoreResult r = scoreOrIsolate(m, batch, idx);
            for (int k = 0; k < idx.size(); k++) {
                int i = idx.get(k);
                if (r.isOk(k)) {
                    LinkedHashMap<String, Object> sides = new LinkedHashMap<>(r.fieldsOf(k));
                    sides.remove(ScoreResult.SCORE); // a judge's verdict is the score itself, not a side output
                    values.get(i).put(m.column(), new RowLayout.MetricValue(r.scoreObject(k), sides));
                }
                else errors.get(i).add(r.error(k).startsWith(m.column()) ? r.error(k) : m.column() + ": " + r.error(k));
            }
        }
        List<LinkedHashMap<String, Object>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Task t = batch.get(i).task();
            String error = t.compute().isEmpty() ? t.keptError() : errors.get(i).isEmpty() ? null : String.join("; ", errors.get(i));
            out.add(layout.row(t.row().fields(), values.get(i), error));
        }
        return out;
    }

    /** Scores the rows at idx as one call; when that call throws, row by row so only the bad rows fail. */
    private static ScoreResult scoreOrIsolate(Metric m, List<Prepared> batch, List<Integer> idx) {
        ScoreResult.Builder out = ScoreResult.builder(m.scorer().metric(), idx.size());
        if (idx.isEmpty()) return out.build();
        List<String> prompts = new ArrayList<>();
        List<ImageInput> images = new ArrayList<>();
        for (int i : idx) {
            String p = batch.get(i).task().row().prompt();
            prompts.add(p == null ? "" : p);
            images.add(batch.get(i).image());
        }
        try {
            ScoreResult r = m.scorer().score(prompts, images);
            if (r.size() != idx.size()) throw new IllegalStateException(r.size() + " results for " + idx.size() + " images");
            return r;
        } catch (RuntimeException batchFailure) {
            for (int k = 0; k < idx.size(); k++) {
                try {
                    out.copy(k, m.scorer().score(List.of(prompts.get(k)), List.of(images.get(k))), 0);
                } catch (RuntimeException e) {
                    out.error(k, message(e) + " (" + images.get(k).name() + ")");
                }
            }
            return out.build();
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
