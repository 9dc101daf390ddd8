package dev.palate.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A partition's rows with their scores appended (one column per metric, then the error), in input order. Rows are
 * pulled from the input a batch at a time on the task thread; the next batch is decoded and preprocessed on a
 * prefetch thread while the models score the current one, as in {@code palate score} (cli ScoreRun.run). Closing
 * (at the end of the input, or by the task's completion listener) stops the prefetch thread.
 */
final class ScoredRows implements Iterator<Row>, AutoCloseable {
    /** Rows read from the input, with what the models need from each. */
    private record RowBatch(List<Row> rows, List<ImageRef> images, List<String> prompts) {}

    private final Iterator<Row> input;
    private final ScorePartition spec;
    private final BatchScorer scorer;
    private final int partition;
    private final ExecutorService prefetch;
    private RowBatch pendingRows;
    private Future<BatchScorer.Prepared> pending;
    private Iterator<Row> current = Collections.emptyIterator();
    private long read;

    ScoredRows(Iterator<Row> input, ScorePartition spec, BatchScorer scorer, int partition) {
        this.input = input;
        this.spec = spec;
        this.scorer = scorer;
        this.partition = partition;
        this.prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "palate-prefetch-p" + partition);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (pending == null) {
                if (!input.hasNext()) {
                    close();
                    return false;
                }
                startNextBatch();
            }
            RowBatch rows = pendingRows;
            BatchScorer.Prepared prepared = await(pending);
            pending = null;
            pendingRows = null;
            if (input.hasNext()) startNextBatch(); // decodes while the models score this batch
            current = emit(rows, scorer.score(prepared, rows.prompts())).iterator();
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
    }

    @Override
    public void close() {
        prefetch.shutdownNow();
    }

    private void startNextBatch() {
        int size = spec.config().batchSize();
        List<Row> rows = new ArrayList<>(size);
        List<ImageRef> images = new ArrayList<>(size);
        List<String> prompts = new ArrayList<>(size);
        while (rows.size() < size && input.hasNext()) {
            Row row = input.next();
            String name = spec.rowName(row, partition, read++);
            rows.add(row);
            images.add(ImageRef.of(row.isNullAt(spec.imageIndex()) ? null : row.get(spec.imageIndex()), name));
            prompts.add(spec.promptIndex() < 0 || row.isNullAt(spec.promptIndex()) ? null : row.getString(spec.promptIndex()));
        }
        RowBatch batch = new RowBatch(rows, images, prompts);
        pendingRows = batch;
        pending = prefetch.submit(() -> scorer.prepare(batch.images()));
    }

    private static BatchScorer.Prepared await(Future<BatchScorer.Prepared> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing images failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Input columns, then one score per metric, then the error. */
    private List<Row> emit(RowBatch batch, BatchScorer.Scored scored) {
        int metrics = scored.values().length;
        List<Row> out = new ArrayList<>(batch.rows().size());
        long failed = 0;
        for (int i = 0; i < batch.rows().size(); i++) {
            Row row = batch.rows().get(i);
            Object[] v = new Object[row.length() + metrics + 1];
            for (int c = 0; c < row.length(); c++) v[c] = row.get(c);
            for (int m = 0; m < metrics; m++) v[row.length() + m] = scored.values()[m][i];
            v[v.length - 1] = scored.errors()[i];
            if (scored.errors()[i] != null) failed++;
            out.add(RowFactory.create(v));
        }
        if (spec.counters() != null) {
            spec.counters().rows().add(out.size());
            spec.counters().failedRows().add(failed);
        }
        return out;
    }
}
