package dev.palate.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreResult;

/**
 * One request's items for one metric, scored in whichever batches the {@link MetricBatcher} puts them and put back
 * in request order. Items are recorded only by the metric's batch thread; {@link #result()} completes when the last
 * one is recorded, or is cancelled when the client goes away.
 */
final class ScoreJob {
    final List<String> prompts;      // one per image; "" for image-only metrics without prompts
    final List<ImageInput> images;
    final long arrivalNanos;         // when the request arrived (item latency is measured from here)
    private final ScoreResult.Builder builder;
    private final CompletableFuture<ScoreResult> result = new CompletableFuture<>();
    private int remaining;

    ScoreJob(MetricInfo metric, List<String> prompts, List<ImageInput> images, long arrivalNanos) {
        if (prompts.size() != images.size()) throw new IllegalArgumentException(prompts.size() + " prompts for " + images.size() + " images");
        this.prompts = prompts;
        this.images = images;
        this.arrivalNanos = arrivalNanos;
        this.builder = ScoreResult.builder(metric, images.size());
        this.remaining = images.size();
        if (remaining == 0) result.complete(builder.build());
    }

    int size() { return images.size(); }

    CompletableFuture<ScoreResult> result() { return result; }

    /** Whether the client went away (or the job was otherwise given up): its queued items are skipped. */
    boolean cancelled() { return result.isCancelled(); }

    /** Gives the job up: queued items are skipped, the reply is not written. */
    void cancel() { result.cancel(false); }

    /** Item {@code i} is item {@code k} of a batch's result (batch thread only). */
    void record(int i, ScoreResult batch, int k) {
        builder.copy(i, batch, k);
        done();
    }

    /** Item {@code i} failed with {@code message} (batch thread only). */
    void fail(int i, String message) {
        builder.error(i, message);
        done();
    }

    private void done() {
        if (--remaining == 0) result.complete(builder.build());
    }
}
