package dev.palate.models;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loaded models shared between scorers, counted by reference: the first {@link #acquire} loads, the last
 * {@link Lease#close()} frees. Keys name everything that makes two loads identical (resolved path, device, dtype),
 * so aesthetic-v1, aesthetic-v2 and clip-score on the same CLIP-L folder hold one copy of the weights.
 */
public final class SharedModels {
    private static final SharedModels GLOBAL = new SharedModels();

    private final Map<String, Entry> entries = new HashMap<>();

    /** The process-wide cache that {@link ScorerOptions#defaults()} uses. */
    public static SharedModels global() { return GLOBAL; }

    /**
     * The model stored under {@code key}, loading it with {@code loader} if nobody holds it. Loading happens under
     * this cache's lock, so two scorers asking at once load once.
     */
    public synchronized <T extends AutoCloseable> Lease<T> acquire(String key, Supplier<T> loader) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(loader.get());
            entries.put(key, e);
        }
        e.refs++;
        @SuppressWarnings("unchecked") T value = (T) e.value;
        return new Lease<>(this, key, value);
    }

    /** How many distinct models are loaded now (for tests and diagnostics). */
    public synchronized int size() { return entries.size(); }

    private synchronized void release(String key) {
        Entry e = entries.get(key);
        if (e == null) return;
        if (--e.refs == 0) {
            entries.remove(key);
            try {
                e.value.close();
            } catch (Exception ex) {
                throw new IllegalStateException("closing shared model " + key + " failed", ex);
            }
        }
    }

    private static final class Entry {
        final AutoCloseable value;
        int refs;

        Entry(AutoCloseable value) { this.value = value; }
    }

    /** One holder's claim on a shared model; close it exactly once. */
    public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final SharedModels owner;
        private final String key;
        private final T value;
        private boolean closed;

        private Lease(SharedModels owner, String key, T value) {
            this.owner = owner;
            this.key = key;
            this.value = value;
        }

        public T get() {
            if (closed) throw new IllegalStateException("shared model " + key + " was released");
            return value;
        }

        public String key() { return key; }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            owner.release(key);
        }
    }
}
