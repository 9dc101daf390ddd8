package dev.palate.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/**
 * The scorers of this JVM (an executor; the driver too in local mode): loaded on first use by a task, once per
 * {@link ScoringConfig} and device, shared by every task thread after that (scorers are thread-safe), and closed when
 * the JVM exits. Two tasks asking at once for the same configuration load it once; different configurations load
 * independently. Metrics of one configuration share their backbones ({@link SharedModels}), as in {@code palate score}.
 */
final class ExecutorModels {
    /** The scorers of one configuration on one device, in the configuration's metric order. */
    record Loaded(List<String> metrics, List<Scorer> scorers) implements AutoCloseable {
        @Override
        public void close() {
            for (Scorer s : scorers) s.close();
        }
    }

    private record Key(ScoringConfig config, Device device) {}

    /** One slot per key; its monitor serialises that key's load without blocking other keys. */
    private static final class Slot {
        volatile Loaded loaded;
        final AtomicInteger loads = new AtomicInteger();
    }

    private static final Map<Key, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger TOTAL_LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "palate-close-models"));
    }

    private ExecutorModels() {}

    /**
     * The scorers for {@code config} on {@code device}, loading them if this JVM has not yet.
     *
     * @param onLoad runs once when this call loaded the models (counted by the job's accumulators)
     * @throws RuntimeException from the scorer factories (weights not found, unreadable), naming the file
     */
    static Loaded get(ScoringConfig config, Device device, Runnable onLoad) {
        Slot slot = SLOTS.computeIfAbsent(new Key(config, device), k -> new Slot());
        Loaded l = slot.loaded;
        if (l != null) return l;
        synchronized (slot) {
            if (slot.loaded == null) {
                slot.loaded = load(config, device.requireAvailable());
                slot.loads.incrementAndGet();
                TOTAL_LOADS.incrementAndGet();
                if (onLoad != null) onLoad.run();
            }
            return slot.loaded;
        }
    }

    /** How many times this JVM loaded {@code config} on {@code device} (1 after any number of tasks). */
    static int loads(ScoringConfig config, Device device) {
        Slot s = SLOTS.get(new Key(config, device));
        return s == null ? 0 : s.loads.get();
    }

    /** How many configurations this JVM has loaded, counting each load. */
    static int totalLoads() { return TOTAL_LOADS.get(); }

    private static Loaded load(ScoringConfig config, Device device) {
        if (config.threads() > 0) {
            NativeRuntime.ensureLoaded();
            torch.set_num_threads(config.threads());
        }
        Map<String, ScorerOptions> options = config.options(device, new SharedModels());
        List<Scorer> scorers = new ArrayList<>();
        try {
            for (Map.Entry<String, ScorerOptions> e : options.entrySet()) scorers.add(ScorerRegistry.create(e.getKey(), e.getValue()));
        } catch (RuntimeException e) {
            for (Scorer s : scorers) s.close();
            throw e;
        }
        return new Loaded(List.copyOf(options.keySet()), List.copyOf(scorers));
    }

    private static void closeAll() {
        for (Slot s : SLOTS.values()) {
            Loaded l = s.loaded;
            s.loaded = null;
            if (l == null) continue;
            try {
                l.close();
            } catch (RuntimeException e) {
                System.err.println("palate: closing " + l.metrics() + " at exit failed: " + e.getMessage());
            }
        }
    }
}
