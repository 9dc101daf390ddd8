package dev.palate.server;

import java.util.Objects;
import java.util.function.Supplier;

import dev.palate.models.Scorer;

/**
 * A metric the server loads at start and serves at {@code /{name}} and in {@code /v1/score}.
 *
 * @param name   the URL segment and the key in JSON results, e.g. {@code hpsv2}
 * @param device where the scorer runs, as {@code /v1/metrics} reports it
 * @param dtype  the scorer's dtype label, as {@code /v1/metrics} reports it
 * @param loader loads the scorer (e.g. {@code () -> ScorerRegistry.create(name, options)}); the server closes it.
 *               Its batch size should be at least {@link ServerConfig#maxBatch()}, so a merged batch is one forward
 */
public record ServedMetric(String name, String device, String dtype, Supplier<Scorer> loader) {
    public ServedMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(loader, "loader");
        if (name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("metric name '" + name + "' cannot be a URL segment");
    }
}
