package dev.palate.server;

import java.util.Objects;

import dev.palate.preprocess.DecodeLimits;

/**
 * How {@code palate serve} listens and what it accepts.
 *
 * @param host              the address to bind; 127.0.0.1 unless the operator chooses to expose the port
 * @param port              the TCP port; 0 picks a free one ({@link PalateServer#uri()} says which)
 * @param maxBatch          the most items of one metric in one forward pass, merged across concurrent requests
 * @param maxWaitMs         how long the first queued item of a batch waits for more before the batch runs
 * @param maxQueue          the most items (image × metric) waiting for a forward pass; beyond it requests get 503
 * @param maxBodyBytes      the largest request body; a larger one gets 413
 * @param maxImages         the most images in one request; more get 413
 * @param imageLimits       the most pixels an image may declare in its header; a larger one gets 413
 * @param token             when not null, every endpoint but /health and /ready needs {@code Authorization: Bearer TOKEN}
 * @param shutdownTimeoutMs how long a graceful stop waits for requests in flight before it closes their connections
 */
public record ServerConfig(String host, int port, int maxBatch, long maxWaitMs, int maxQueue, long maxBodyBytes,
                           int maxImages, DecodeLimits imageLimits, String token, long shutdownTimeoutMs) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(imageLimits, "imageLimits");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if (maxBatch < 1) throw new IllegalArgumentException("--max-batch must be at least 1, got " + maxBatch);
        if (maxWaitMs < 0) throw new IllegalArgumentException("--max-wait-ms must be at least 0, got " + maxWaitMs);
        if (maxQueue < 1) throw new IllegalArgumentException("--max-queue must be at least 1, got " + maxQueue);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("--max-body-bytes must be at least 1, got " + maxBodyBytes);
        if (maxImages < 1) throw new IllegalArgumentException("--max-images must be at least 1, got " + maxImages);
        if (maxImages > maxQueue)
            throw new IllegalArgumentException("--max-images " + maxImages + " is above --max-queue " + maxQueue
                    + ": a request that large could never be queued; raise --max-queue or lower --max-images");
        if (token != null && token.isBlank()) throw new IllegalArgumentException("the bearer token is empty");
        if (shutdownTimeoutMs < 0) throw new IllegalArgumentException("the shutdown timeout must be at least 0, got " + shutdownTimeoutMs);
    }

    /** 127.0.0.1:18080, batches of 32 within 5 ms, 1024 queued items, 64 MiB bodies, 256 images, Pillow's pixel limit, no token. */
    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).maxBatch(maxBatch).maxWaitMs(maxWaitMs).maxQueue(maxQueue)
                .maxBodyBytes(maxBodyBytes).maxImages(maxImages).imageLimits(imageLimits).token(token).shutdownTimeoutMs(shutdownTimeoutMs);
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 18080;
        private int maxBatch = 32;
        private long maxWaitMs = 5;
        private int maxQueue = 1024;
        private long maxBodyBytes = 64L << 20;
        private int maxImages = 256;
        private DecodeLimits imageLimits = DecodeLimits.PILLOW;
        private String token;
        private long shutdownTimeoutMs = 60_000;

        public Builder host(String h) { host = h; return this; }

        public Builder port(int p) { port = p; return this; }

        public Builder maxBatch(int n) { maxBatch = n; return this; }

        public Builder maxWaitMs(long ms) { maxWaitMs = ms; return this; }

        public Builder maxQueue(int n) { maxQueue = n; return this; }

        public Builder maxBodyBytes(long n) { maxBodyBytes = n; return this; }

        public Builder maxImages(int n) { maxImages = n; return this; }

        public Builder imageLimits(DecodeLimits l) { imageLimits = l; return this; }

        public Builder token(String t) { token = t; return this; }

        public Builder shutdownTimeoutMs(long ms) { shutdownTimeoutMs = ms; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, maxBatch, maxWaitMs, maxQueue, maxBodyBytes, maxImages, imageLimits, token, shutdownTimeoutMs);
        }
    }
}
