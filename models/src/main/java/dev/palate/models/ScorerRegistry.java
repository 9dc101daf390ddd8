package dev.palate.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The metrics on the class path, by name ({@link ScorerFactory} via {@link ServiceLoader}). */
public final class ScorerRegistry {
    private static volatile Map<String, ScorerFactory> factories;

    private ScorerRegistry() {}

    /** Every registered factory, sorted by name. */
    public static List<ScorerFactory> factories() {
        return List.copyOf(all().values());
    }

    /** The sorted metric names. */
    public static List<String> names() {
        return new ArrayList<>(all().keySet());
    }

    /** The factory for {@code name} (case-insensitive); the error lists the known names. */
    public static ScorerFactory factory(String name) {
        ScorerFactory f = all().get(name.toLowerCase());
        if (f == null)
            throw new IllegalArgumentException("unknown metric '" + name + "': known metrics are " + String.join(", ", names()));
        return f;
    }

    public static MetricInfo metric(String name) { return factory(name).metric(); }

    /**
     * Loads the named metric; the caller closes the scorer.
     *
     * @throws IllegalArgumentException before loading anything when the options set a key the metric does not
     *                                  declare or a value it does not allow ({@link ScorerFactory#settings})
     */
    public static Scorer create(String name, ScorerOptions options) {
        ScorerFactory f = factory(name);
        f.settings(options);
        return f.create(options);
    }

    private static Map<String, ScorerFactory> all() {
        Map<String, ScorerFactory> m = factories;
        if (m == null) {
            synchronized (ScorerRegistry.class) {
                if (factories == null) {
                    Map<String, ScorerFactory> found = new TreeMap<>();
                    for (ScorerFactory f : ServiceLoader.load(ScorerFactory.class, ScorerRegistry.class.getClassLoader())) {
                        ScorerFactory prev = found.put(f.name().toLowerCase(), f);
                        if (prev != null)
                            throw new IllegalStateException("two scorer factories are named '" + f.name() + "': "
                                    + prev.getClass().getName() + " and " + f.getClass().getName());
                    }
                    factories = Collections.unmodifiableMap(found);
                }
                m = factories;
            }
        }
        return m;
    }
}
