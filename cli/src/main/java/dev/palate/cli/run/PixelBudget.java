package dev.palate.cli.run;

/**
 * Decoded pixels in memory at once, shared by every decode thread and the batch being prepared ahead: a decode waits
 * while the images already held would go over the budget with it, so several large images at once cannot exhaust
 * memory. One image larger than the whole budget still goes, alone.
 */
public final class PixelBudget {
    private final long capacity;
    private long used;
    private long peak;

    public PixelBudget(long capacity) {
        if (capacity < 1) throw new IllegalArgumentException("budget must be at least 1 pixel");
        this.capacity = capacity;
    }

    /** A quarter of the heap at 8 bytes per pixel (the decoded image and its copy during decoding). */
    public static PixelBudget forHeap() {
        return new PixelBudget(Math.max(1, Runtime.getRuntime().maxMemory() / 4 / 8));
    }

    public long capacity() { return capacity; }

    /** Blocks until {@code pixels} fit (or nothing else is held). */
    public synchronized void acquire(long pixels) throws InterruptedException {
        while (used > 0 && used + pixels > capacity) wait();
        used += pixels;
        peak = Math.max(peak, used);
    }

    public synchronized void release(long pixels) {
        used -= pixels;
        notifyAll();
    }

    /** The most pixels held at once so far. */
    public synchronized long peak() { return peak; }
}
