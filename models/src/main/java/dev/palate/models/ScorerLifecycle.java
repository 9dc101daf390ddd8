package dev.palate.models;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The open/closed state a scorer's threads share: calls run concurrently under a read lock, and {@link #close}
 * waits for the calls in progress before it frees anything. Calls after close fail.
 */
public final class ScorerLifecycle {
    private final String metric;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock

    public ScorerLifecycle(String metric) {
        this.metric = metric;
    }

    /** {@code work}'s result, computed while the scorer is open. */
    public <T> T whileOpen(Supplier<T> work) {
        Lock l = lock.readLock();
        l.lock();
        try {
            if (closed) throw new IllegalStateException(metric + " scorer is closed");
            return work.get();
        } finally {
            l.unlock();
        }
    }

    /** Runs {@code release} once, after the calls in progress have finished; later closes do nothing. */
    public void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
