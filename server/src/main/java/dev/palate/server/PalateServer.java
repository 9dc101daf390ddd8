package dev.palate.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import dev.palate.models.Scorer;

/**
 * {@code palate serve}: every metric in one process behind one HTTP port (Jetty 12), with the reward-server pickle
 * protocol read by a data-only unpickler, a JSON API, and dynamic batching across concurrent requests per metric.
 *
 * <pre>
 * try (PalateServer server = PalateServer.start(ServerConfig.builder().port(0).build(), List.of(
 *         new ServedMetric("hpsv2", "cpu", "fp32", () -&gt; ScorerRegistry.create("hpsv2", options))))) {
 *     System.out.println(server.uri("hpsv2"));   // POST pickles here
 *     server.awaitStop();                          // until close() from another thread
 * }
 * </pre>
 *
 * <p>{@link #start} binds the port first (so {@code /health} answers and {@code /ready} says 503 while the models
 * load), loads every metric, then returns. {@link #close()} stops gracefully: the port stops accepting, requests in
 * flight are scored and answered (up to {@link ServerConfig#shutdownTimeoutMs()}), then the scorers are closed.
 */
public final class PalateServer implements AutoCloseable {
    private final ServerConfig config;
    private final List<ServedMetric> served;
    private final ServerMetrics metrics = new ServerMetrics();
    private final QueueAdmission admission;
    private final Map<String, MetricBatcher> batchers = new LinkedHashMap<>();
    private final Server jetty;
    private final ServerConnector connector;
    private volatile ScoringService scoring;
    private volatile String loading = "starting";
    private volatile boolean closed;

    private PalateServer(ServerConfig config, List<ServedMetric> served) {
        this.config = config;
        this.served = List.copyOf(served);
        this.admission = new QueueAdmission(config.maxQueue());
        QueuedThreadPool pool = new QueuedThreadPool(256, 8);
        pool.setName("palate-http");
        jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(600_000); // a queued request waits without I/O; disconnects are seen by the failure listener
        jetty.addConnector(connector);
        GracefulHandler graceful = new GracefulHandler(new ServerHandler(this, config, metrics));
        graceful.setShutdownIdleTimeout(100); // on stop, idle keep-alive connections close after 100 ms, not Jetty's 1 s
        jetty.setHandler(graceful);
        jetty.setStopTimeout(config.shutdownTimeoutMs());
        jetty.setStopAtShutdown(false); // the caller decides (palate serve stops on SIGTERM/SIGINT)
    }

    /**
     * Binds, loads every metric in order, and returns the running server.
     *
     * @throws IllegalArgumentException for duplicate metric names or none
     * @throws IllegalStateException    when the port cannot be bound (naming it) or a metric fails to load (the
     *                                  server is stopped and what was loaded is closed)
     */
    public static PalateServer start(ServerConfig config, List<ServedMetric> metrics) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metric to serve: give --metric");
        List<String> names = new ArrayList<>();
        for (ServedMetric m : metrics) {
            if (names.contains(m.name())) throw new IllegalArgumentException("metric " + m.name() + " is given twice");
            names.add(m.name());
        }
        PalateServer s = new PalateServer(config, metrics);
        try {
            s.jetty.start();
        } catch (Exception e) {
            s.stopJetty();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("in use") ? "; pick another --port" : ""), e);
        }
        try {
            for (ServedMetric m : metrics) {
                s.loading = "loading " + m.name();
                Scorer scorer = m.loader().get();
                s.batchers.put(m.name(), new MetricBatcher(m.name(), scorer, config.maxBatch(), config.maxWaitMs(), s.admission, s.metrics));
            }
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
        s.loading = "";
        s.scoring = new ScoringService(s.batchers, s.admission, config);
        return s;
    }

    /** {@code http://host:port/}, with the port actually bound. */
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** The pickle-protocol URL of {@code metric}. */
    public URI uri(String metric) {
        return uri().resolve(metric);
    }

    /** The port bound. */
    public int port() { return connector.getLocalPort(); }

    /** The served metric names, in the order given. */
    public List<String> metricNames() {
        List<String> out = new ArrayList<>();
        for (ServedMetric m : served) out.add(m.name());
        return out;
    }

    /** Whether every metric is loaded and the server is not stopping ({@code GET /ready}). */
    public boolean ready() { return scoring != null && !closed; }

    /** Whether {@link #close()} has begun. */
    boolean stopping() { return closed; }

    /** Whether every metric is loaded: requests already received are scored while a graceful stop runs. */
    boolean loaded() { return scoring != null; }

    /** Blocks until the server has stopped. */
    public void awaitStop() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops gracefully: no new connections, requests in flight are answered (up to the shutdown timeout), queued items
     * are scored, then the scorers are closed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        loading = "stopping";
        for (MetricBatcher b : batchers.values()) b.flush();
        stopJetty(); // waits for the requests in flight, whose items the batchers keep scoring
        for (MetricBatcher b : batchers.values()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                System.err.println("palate serve: closing " + b.scorer().metric().name() + ": " + e.getMessage());
            }
        }
    }

    private void stopJetty() {
        try {
            jetty.stop();
        } catch (Exception e) {
            System.err.println("palate serve: stopping the HTTP server: " + e.getMessage());
        }
    }

    ScoringService scoring() { return scoring; }

    String loading() { return loading; }

    String prometheus() {
        return metrics.render(metricNames(), m -> batchers.containsKey(m) ? batchers.get(m).depth() : 0, admission.queued(),
                admission.capacity(), ready());
    }

    List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServedMetric m : served) {
            MetricBatcher b = batchers.get(m.name());
            if (b != null) out.add(ServerHandler.describe(b.scorer().metric(), m, uri(m.name()).toString()));
        }
        return out;
    }
}
