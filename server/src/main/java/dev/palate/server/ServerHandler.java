package dev.palate.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreResult;

/**
 * Routes the endpoints: {@code POST /} and {@code POST /{metric}} (the pickle protocol), {@code POST /v1/score} and
 * {@code GET /v1/metrics} (JSON), {@code GET /health}, {@code GET /ready}, {@code GET /metrics} (Prometheus). A
 * scoring request reads its body on the request thread, queues its items and returns; the reply is written when the
 * last item is scored, on Jetty's executor. A client that disconnects first has its queued items dropped.
 */
final class ServerHandler extends Handler.Abstract {
    private static final String PICKLE = "application/octet-stream";
    private static final String JSON = "application/json; charset=utf-8";

    /** A reply ready to write. */
    private record Rendered(int status, String type, byte[] body) {}

    private final PalateServer server;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final byte[] token; // null: no authentication

    ServerHandler(PalateServer server, ServerConfig config, ServerMetrics metrics) {
        this.server = server;
        this.config = config;
        this.metrics = metrics;
        this.token = config.token() == null ? null : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long arrival = System.nanoTime();
        String path = request.getHttpURI().getDecodedPath();
        String method = request.getMethod();
        boolean pickle = method.equals("POST") && !path.startsWith("/v1/");
        String api = pickle ? "pickle" : path.startsWith("/v1/") ? "json" : "ops";
        try {
            if (path.equals("/health")) {
                requireGet(method);
                send(response, callback, api, arrival, 200, JSON, bytes(JsonApi.GSON.toJson(Map.of("status", "ok"))));
            } else if (path.equals("/ready")) {
                requireGet(method);
                boolean ready = server.ready();
                send(response, callback, api, arrival, ready ? 200 : 503, JSON, bytes(JsonApi.GSON.toJson(
                        ready ? Map.of("ready", true) : Map.of("ready", false, "state", server.loading()))));
            } else {
                authorize(request);
                if (path.equals("/metrics")) {
                    requireGet(method);
                    send(response, callback, api, arrival, 200, "text/plain; version=0.0.4; charset=utf-8", bytes(server.prometheus()));
                } else if (path.equals("/v1/metrics")) {
                    requireGet(method);
                    send(response, callback, api, arrival, 200, JSON, bytes(JsonApi.GSON.toJson(Map.of("metrics", server.describe()))));
                } else if (path.equals("/v1/score")) {
                    if (!method.equals("POST")) throw new RequestFailure(405, "bad_method", "POST a JSON body to /v1/score");
                    scoreJson(request, response, callback, arrival);
                } else if (pickle) {
                    scorePickle(request, response, callback, arrival, path);
                } else {
                    throw new RequestFailure(404, "not_found", "no endpoint " + method + " " + path + "; " + endpoints());
                }
            }
        } catch (RequestFailure f) {
            fail(response, callback, api, arrival, f);
        } catch (PickleRefusedException e) {
            fail(response, callback, api, arrival, new RequestFailure(400, e.unsafe() ? "unsafe_pickle" : "bad_pickle", e.getMessage()));
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(response, callback, api, arrival, new RequestFailure(500, "internal", "internal error: " + e));
        }
        return true;
    }

    private void scorePickle(Request request, Response response, Callback callback, long arrival, String path) {
        String metric = pickleMetric(path);
        byte[] body = body(request);
        PickleApi.Payload payload = PickleApi.parse(body);
        ScoringService.Submission s = server.scoring().submit(List.of(metric), payload.prompts(), payload.images(), arrival);
        whenScored(request, s, response, callback, "pickle", arrival, results -> {
            PickleApi.Reply reply = PickleApi.reply(results.get(metric));
            return new Rendered(reply.status(), PICKLE, reply.body());
        });
    }

    private void scoreJson(Request request, Response response, Callback callback, long arrival) {
        byte[] body = body(request);
        JsonApi.Request req = JsonApi.parse(body, server.metricNames());
        ScoringService.Submission s = server.scoring().submit(req.metrics(), req.prompts(), req.images(), arrival);
        int n = req.images().size();
        whenScored(request, s, response, callback, "json", arrival, results -> new Rendered(200, JSON, bytes(JsonApi.reply(results, n))));
    }

    /** The reply once every item is scored; a client that goes away cancels its queued items. */
    private void whenScored(Request request, ScoringService.Submission s, Response response, Callback callback, String api,
                            long arrival, Function<Map<String, ScoreResult>, Rendered> render) {
        // A client gone drops its queued items, except while a graceful stop runs: then Jetty's shutdown of the
        // connector, not the client, fails the probes, and the requests in flight are to be answered.
        Runnable gone = () -> {
            if (!server.stopping()) s.cancel();
        };
        request.addFailureListener(t -> gone.run()); // the connection failed
        DisconnectProbe probe = DisconnectProbe.watch(request, gone); // the client closed it while waiting
        Executor executor = getServer().getThreadPool();
        s.results().whenCompleteAsync((results, t) -> {
            if (t != null) {
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                if (cause instanceof CancellationException) {
                    metrics.error("client_gone");
                    callback.failed(cause);
                } else {
                    if (probe.replyClosesConnection()) response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    fail(response, callback, api, arrival, new RequestFailure(500, "internal", "internal error: " + cause));
                }
                return;
            }
            try {
                Rendered out = render.apply(results);
                if (out.status() != 200) metrics.error("items_failed_reply");
                if (probe.replyClosesConnection()) response.getHeaders().put(HttpHeader.CONNECTION, "close");
                send(response, callback, api, arrival, out.status(), out.type(), out.body());
            } catch (RuntimeException e) {
                e.printStackTrace();
                fail(response, callback, api, arrival, new RequestFailure(500, "internal", "internal error: " + e));
            }
        }, executor);
    }

    /** The metric a pickle request names: {@code /{metric}}, or {@code /} when one metric is served. */
    private String pickleMetric(String path) {
        requireLoaded();
        List<String> names = server.metricNames();
        if (path.equals("/")) {
            if (names.size() == 1) return names.get(0);
            throw new RequestFailure(404, "not_found", "this server serves " + names.size() + " metrics; POST to one URL per metric: "
                    + metricUrls());
        }
        String name = path.substring(1);
        if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        if (!names.contains(name)) throw new RequestFailure(404, "not_found", "no metric '" + name + "' is served here; POST to " + metricUrls());
        return name;
    }

    private String metricUrls() {
        List<String> urls = new ArrayList<>();
        for (String m : server.metricNames()) urls.add(server.uri(m).toString());
        return String.join(", ", urls);
    }

    private String endpoints() {
        return "endpoints: POST /{metric} (pickle; " + metricUrls() + "), POST /v1/score, GET /v1/metrics, /health, /ready, /metrics";
    }

    /** The body, refusing one above {@link ServerConfig#maxBodyBytes()} before reading it when its length is declared. */
    private byte[] body(Request request) {
        requireLoaded();
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        long max = config.maxBodyBytes();
        if (declared > max) throw tooLarge(declared, max);
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) throw tooLarge(-1, max);
            return b;
        } catch (IOException e) {
            throw new RequestFailure(400, "bad_request", "could not read the request body: " + e.getMessage());
        }
    }

    private void requireLoaded() {
        if (!server.loaded())
            throw new RequestFailure(503, "not_ready", "the models are still loading (" + server.loading() + "); retry shortly", 5);
    }

    private static RequestFailure tooLarge(long declared, long max) {
        return new RequestFailure(413, "body_too_large", "the request body" + (declared > 0 ? " of " + declared + " bytes" : "")
                + " is above the limit of " + max + " bytes (--max-body-bytes); send fewer images per request");
    }

    private void authorize(Request request) {
        if (token == null) return;
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8)))
            throw new RequestFailure(401, "unauthorized", "this server needs 'Authorization: Bearer TOKEN' with the token of its --token-file");
    }

    private static void requireGet(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) throw new RequestFailure(405, "bad_method", "use GET");
    }

    private void fail(Response response, Callback callback, String api, long arrival, RequestFailure f) {
        metrics.error(f.kind);
        if (f.status == 401) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        if (f.retryAfterSeconds > 0) response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(f.retryAfterSeconds));
        if (api.equals("pickle")) send(response, callback, api, arrival, f.status, PICKLE, PickleApi.error(f.getMessage()));
        else send(response, callback, api, arrival, f.status, JSON, bytes(JsonApi.error(f.getMessage())));
    }

    private void send(Response response, Callback callback, String api, long arrival, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        metrics.request(api, status, arrival);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** One entry of {@code GET /v1/metrics}. */
    static Map<String, Object> describe(MetricInfo info, ServedMetric served, String url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", served.name());
        m.put("url", url);
        m.put("description", info.description());
        m.put("scale", info.scale());
        m.put("direction", info.direction() == MetricInfo.Direction.HIGHER_IS_BETTER ? "higher" : "lower");
        m.put("min", Double.isFinite(info.min()) ? info.min() : null);
        m.put("max", Double.isFinite(info.max()) ? info.max() : null);
        m.put("uses_prompt", info.usesPrompt());
        m.put("device", served.device());
        m.put("dtype", served.dtype());
        return m;
    }
}
