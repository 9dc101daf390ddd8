package dev.palate.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;

/**
 * Dynamic batching for one metric: the items of every request for it wait in one queue, and one thread takes up to
 * {@code maxBatch} of them per forward pass, waiting at most {@code maxWait} after the oldest for more, and only while
 * more are on their way (admitted requests still decoding their images): a lone request is scored at once. Prompts repeated within a batch or across batches are encoded
 * once by the scorer's text-embedding cache. A failed item fails alone ({@link ScoreResult#errors()}); a scorer that
 * throws fails the items of that batch with its message, and the thread goes on with the next.
 */
final class MetricBatcher implements AutoCloseable {
    private record Item(ScoreJob job, int index, long queuedNanos) {}

    private final String name;
    private final Scorer scorer;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final QueueAdmission admission;
    private final ServerMetrics metrics;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private static final long RECHECK_NANOS = 200_000; // while waiting for a fuller batch, re-check what is on its way

    private final AtomicInteger incoming = new AtomicInteger(); // items admitted for this metric, not queued yet
    private volatile boolean closing;   // exit once the queue is empty
    private volatile boolean flushing;  // run batches as they are, without waiting for fuller ones

    MetricBatcher(String name, Scorer scorer, int maxBatch, long maxWaitMs, QueueAdmission admission, ServerMetrics metrics) {
        this.name = name;
        this.scorer = scorer;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.admission = admission;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "palate-batch-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Scorer scorer() { return scorer; }

    /** Items waiting for a forward pass. */
    int depth() { return queue.size(); }

    /** {@code n} items were admitted for this metric and are being prepared: a forming batch may wait for them. */
    void expect(int n) {
        incoming.addAndGet(n);
    }

    /** {@code n} expected items will not come after all (their request failed before it was queued). */
    void unexpect(int n) {
        incoming.addAndGet(-n);
    }

    /** Queues the job's items, which were {@link #expect expected}; they were admitted already ({@link QueueAdmission#tryAdmit}). */
    void submit(ScoreJob job) {
        long now = System.nanoTime();
        for (int i = 0; i < job.size(); i++) queue.add(new Item(job, i, now));
        incoming.addAndGet(-job.size()); // after queueing: a batch never sees them neither queued nor on their way
    }

    private void run() {
        List<Item> batch = new ArrayList<>(maxBatch);
        while (true) {
            Item first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) return;
                continue;
            }
            take(first, batch);
            long deadline = first.queuedNanos + maxWaitNanos;
            while (batch.size() < maxBatch) {
                Item next = queue.poll();
                if (next == null) {
                    // wait only for items on their way (admitted, being decoded): a lone request runs at once
                    if (flushing || incoming.get() == 0) break;
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    try {
                        next = queue.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        break;
                    }
                    if (next == null) continue;
                }
                take(next, batch);
            }
            if (!batch.isEmpty()) score(batch);
            batch.clear();
        }
    }

    /** Moves an item out of the queue count; an item whose client went away is dropped here. */
    private void take(Item item, List<Item> batch) {
        admission.release(1);
        if (item.job.cancelled()) metrics.item(name, "cancelled", item.job.arrivalNanos);
        else batch.add(item);
    }

    private void score(List<Item> batch) {
        List<String> prompts = new ArrayList<>(batch.size());
        List<ImageInput> images = new ArrayList<>(batch.size());
        for (Item it : batch) {
            prompts.add(it.job.prompts.get(it.index));
            images.add(it.job.images.get(it.index));
        }
        long start = System.nanoTime();
        ScoreResult r;
        try {
            r = scorer.score(prompts, images);
        } catch (RuntimeException | Error e) {
            String message = name + " failed on a batch of " + batch.size() + ": " + e;
            System.err.println("palate serve: " + message);
            for (Item it : batch) {
                it.job.fail(it.index, message);
                metrics.item(name, "failed", it.job.arrivalNanos);
            }
            metrics.error("scorer_exception");
            return;
        }
        metrics.batch(name, batch.size(), System.nanoTime() - start);
        for (int k = 0; k < batch.size(); k++) {
            Item it = batch.get(k);
            it.job.record(it.index, r, k);
            metrics.item(name, r.isOk(k) ? "scored" : "failed", it.job.arrivalNanos);
            if (!r.isOk(k)) metrics.error("item_failed");
        }
    }

    /** From now on batches run without waiting for more items (a graceful stop answers what is in flight first). */
    void flush() {
        flushing = true;
    }

    /** Scores what is queued, then stops the thread and closes the scorer (which waits for a call in progress). */
    @Override
    public void close() {
        flushing = true;
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scorer.close();
    }
}
