package dev.palate.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;
import dev.palate.preprocess.DecodeLimits;
import dev.palate.server.PalateServer;
import dev.palate.server.ServedMetric;
import dev.palate.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves metrics over HTTP: the reward-server pickle protocol (one URL per metric) and a JSON API, batched across requests. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve metrics over HTTP: POST /METRIC (the reward-server pickle protocol of RL trainers), POST /v1/score (JSON),"
                + " GET /v1/metrics, /health, /ready, /metrics (Prometheus). Items of concurrent requests are batched per metric.",
        footer = {"", "Metrics, --model and --set as palate score takes them. Loads every metric before it reports ready, then prints",
                "one URL per metric. SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--metric", required = true, split = ",", paramLabel = "M[,M2...]", description = "Metrics to serve (palate metrics lists them).")
    List<String> metrics;

    @Option(names = "--model", paramLabel = "[METRIC[:ROLE]=]PATH_OR_ID", description = "Weights, as for palate score (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--set", paramLabel = "METRIC:KEY=VALUE", description = "A metric's option, as for palate score (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32, fp16 or bf16 for the towers (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the port to the network).")
    String host;

    @Option(names = "--port", defaultValue = "18080", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "32", description = "Most items of one metric per forward pass, merged across requests (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", description = "How long a batch waits for more items after its first (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--max-queue", defaultValue = "1024", description = "Most items (image x metric) waiting; beyond it 503 + Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body-bytes", defaultValue = "67108864", description = "Largest request body; larger gets 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-images", defaultValue = "256", description = "Most images per request; more gets 413 (default: ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--max-image-pixels", paramLabel = "N",
            description = "Most pixels an image may declare in its header, 0 for no limit; larger gets 413 (default: Pillow's, 178956970).")
    Long maxImagePixels;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer TOKEN' (the file's first line) on every endpoint but /health and /ready.")
    Path tokenFile;

    @Option(names = "--shutdown-timeout-s", defaultValue = "60", description = "On SIGTERM, how long to wait for requests in flight (default: ${DEFAULT-VALUE}).")
    long shutdownTimeoutS;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try (PalateServer server = start(err)) {
            out.println("palate serve: ready on " + server.uri() + " (POST /v1/score, GET /v1/metrics, /health, /ready, /metrics)");
            for (String m : server.metricNames()) out.printf("  %-14s %s%n", m, server.uri(m));
            if (server.metricNames().size() == 1) out.println("  (POST " + server.uri() + " also scores " + server.metricNames().get(0) + ")");
            out.flush();
            stop.await();
            err.println("palate serve: stopping: finishing the requests in flight");
            err.flush();
        }
        out.println("palate serve: stopped");
        out.flush();
        return 0;
    }

    /** Parses the options, binds, loads every metric and returns the running server (the caller closes it). */
    PalateServer start(PrintWriter err) throws java.io.IOException {
        if (maxBatch < 1) throw new IllegalArgumentException("--max-batch must be at least 1, got " + maxBatch);
        Device device = runtime.apply();
        DType dt = DType.parse(dtype);
        // each metric's own batch size is the server's batch: a merged batch is one forward pass
        Map<String, ScorerOptions> options = MetricModels.parse(metrics, models, settings, device, dt, maxBatch);
        ServerConfig config = ServerConfig.builder().host(host).port(port).maxBatch(maxBatch).maxWaitMs(maxWaitMs).maxQueue(maxQueue)
                .maxBodyBytes(maxBodyBytes).maxImages(maxImages)
                .imageLimits(maxImagePixels == null ? DecodeLimits.PILLOW : DecodeLimits.of(maxImagePixels))
                .token(tokenFile == null ? null : readToken(tokenFile)).shutdownTimeoutMs(shutdownTimeoutS * 1000).build();
        if (config.token() == null && !isLoopback(host))
            err.println("palate serve: warning: --host " + host + " without --token-file: anyone who can reach the port can use it");
        SharedModels shared = new SharedModels();
        List<ServedMetric> served = new ArrayList<>();
        options.forEach((m, o) -> served.add(new ServedMetric(m, device.toString(), dt.label(), () -> {
            err.println("palate serve: loading " + m);
            err.flush();
            return ScorerRegistry.create(m, o.toBuilder().shared(shared).build());
        })));
        return PalateServer.start(config, served);
    }

    private static String readToken(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--token-file " + file + ": no such file");
        String token = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        if (token.isEmpty()) throw new IllegalArgumentException("--token-file " + file + ": the first line is empty; write the token there");
        return token;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
