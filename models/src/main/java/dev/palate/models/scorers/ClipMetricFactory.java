package dev.palate.models.scorers;

import java.util.Map;
import java.util.function.Supplier;

import dev.palate.models.MetricInfo;
import dev.palate.models.ScorerFactory;

/**
 * What the CLIP-family factories share: the metric facts and default models each one declares in its own file,
 * and the release of what a half-built scorer already holds (leases, heads) when a later step fails.
 */
abstract class ClipMetricFactory implements ScorerFactory {
    private final MetricInfo metric;
    private final Map<String, String> defaults;

    ClipMetricFactory(MetricInfo metric, Map<String, String> defaults) {
        this.metric = metric;
        this.defaults = defaults;
    }

    @Override
    public final String name() { return metric.name(); }

    @Override
    public final MetricInfo metric() { return metric; }

    @Override
    public final Map<String, String> defaultModels() { return defaults; }

    /** The result of {@code step}; when it throws, {@code releases} run in order and the exception propagates. */
    static <T> T releasingOnFailure(Supplier<T> step, Runnable... releases) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            for (Runnable r : releases) r.run();
            throw e;
        }
    }
}
