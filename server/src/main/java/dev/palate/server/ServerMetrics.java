package dev.palate.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The counters behind {@code GET /metrics}, rendered in Prometheus' text exposition format 0.0.4 (HELP and TYPE
 * lines, cumulative {@code _bucket{le=...}} series with {@code _sum} and {@code _count} for histograms). Lock-free
 * on the hot path (LongAdder per series).
 */
final class ServerMetrics {
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final double[] SECONDS_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();   // {api,code}
    private final Map<String, LongAdder> items = new ConcurrentHashMap<>();      // {metric,outcome}
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();     // {kind}
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>(); // {api}
    private final Map<String, Histogram> batchSizes = new ConcurrentHashMap<>();     // {metric}
    private final Map<String, Histogram> itemSeconds = new ConcurrentHashMap<>();    // {metric}
    private final Map<String, Histogram> forwardSeconds = new ConcurrentHashMap<>(); // {metric}

    /** A finished HTTP exchange: {@code api} is pickle, json or ops (health, ready, metrics). */
    void request(String api, int status, long startNanos) {
        count(requests, "api=\"" + api + "\",code=\"" + status + "\"", 1);
        requestSeconds.computeIfAbsent("api=\"" + api + "\"", k -> new Histogram(SECONDS_BUCKETS)).observe(seconds(startNanos));
    }

    /** An error answered with a status, or an item that failed, by kind (bad_pickle, unsafe_pickle, queue_full, ...). */
    void error(String kind) {
        count(errors, "kind=\"" + kind + "\"", 1);
    }

    /** One forward pass of {@code size} items that took {@code forwardNanos}. */
    void batch(String metric, int size, long forwardNanos) {
        batchSizes.computeIfAbsent(metricLabel(metric), k -> new Histogram(BATCH_BUCKETS)).observe(size);
        forwardSeconds.computeIfAbsent(metricLabel(metric), k -> new Histogram(SECONDS_BUCKETS)).observe(forwardNanos / 1e9);
    }

    /** An item done: outcome scored, failed or cancelled (its client went away); latency from its request's arrival. */
    void item(String metric, String outcome, long submittedNanos) {
        count(items, metricLabel(metric) + ",outcome=\"" + outcome + "\"", 1);
        if (!outcome.equals("cancelled"))
            itemSeconds.computeIfAbsent(metricLabel(metric), k -> new Histogram(SECONDS_BUCKETS)).observe(seconds(submittedNanos));
    }

    /** The exposition text; {@code depth} gives each metric's queued items now. */
    String render(Iterable<String> metrics, ToLongFunction<String> depth, long queued, int capacity, boolean ready) {
        StringBuilder sb = new StringBuilder(4096);
        gauge(sb, "palate_ready", "1 once every metric is loaded", ready ? 1 : 0);
        counters(sb, "palate_http_requests_total", "HTTP requests answered, by API and status", requests);
        histograms(sb, "palate_http_request_duration_seconds", "time from request arrival to reply, by API", requestSeconds);
        counters(sb, "palate_items_total", "items (image x metric) done, by outcome", items);
        histograms(sb, "palate_batch_size", "items per forward pass", batchSizes);
        histograms(sb, "palate_forward_seconds", "time of one forward pass (preprocessed images in, scores out)", forwardSeconds);
        histograms(sb, "palate_item_latency_seconds", "time from a request's arrival to its item's score", itemSeconds);
        sb.append("# HELP palate_queue_depth items waiting for a forward pass\n# TYPE palate_queue_depth gauge\n");
        for (String m : metrics) sb.append("palate_queue_depth{").append(metricLabel(m)).append("} ").append(depth.applyAsLong(m)).append('\n');
        gauge(sb, "palate_queue_items", "items admitted and not yet in a forward pass, all metrics (bounded by --max-queue)", queued);
        gauge(sb, "palate_queue_capacity", "--max-queue", capacity);
        counters(sb, "palate_errors_total", "errors by kind", errors);
        return sb.toString();
    }

    private static String metricLabel(String metric) {
        return "metric=\"" + metric.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void count(Map<String, LongAdder> m, String labels, long n) {
        m.computeIfAbsent(labels, k -> new LongAdder()).add(n);
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void counters(StringBuilder sb, String name, String help, Map<String, LongAdder> series) {
        sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(series).forEach((labels, v) -> sb.append(name).append('{').append(labels).append("} ").append(v.sum()).append('\n'));
    }

    private static void histograms(StringBuilder sb, String name, String help, Map<String, Histogram> series) {
        sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" histogram\n");
        new TreeMap<>(series).forEach((labels, h) -> h.render(sb, name, labels));
    }

    /** Fixed buckets; rendered cumulatively as Prometheus expects. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts; // per bucket, plus +Inf
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) i++;
            counts[i].increment();
            sum.add(v);
        }

        void render(StringBuilder sb, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts[i].sum();
                String le = i == bounds.length ? "+Inf" : format(bounds[i]);
                sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
            }
            sb.append(name).append("_sum{").append(labels).append("} ").append(String.format(Locale.ROOT, "%.6f", sum.sum())).append('\n');
            sb.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
        }

        private static String format(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
