package dev.palate.server;

/**
 * The bounded queue's ledger ({@link ServerConfig#maxQueue()}): a request's items (image × metric) are admitted all
 * together or not at all, and each leaves the count when its forward pass starts or its client goes away.
 */
final class QueueAdmission {
    private final int capacity;
    private int queued;

    QueueAdmission(int capacity) {
        this.capacity = capacity;
    }

    /** Admits {@code n} items, or returns false when they do not fit (the caller answers 503). */
    synchronized boolean tryAdmit(int n) {
        if (n > capacity - queued) return false;
        queued += n;
        return true;
    }

    synchronized void release(int n) {
        queued -= n;
        if (queued < 0) throw new IllegalStateException("queue count below zero");
    }

    synchronized int queued() { return queued; }

    int capacity() { return capacity; }
}
