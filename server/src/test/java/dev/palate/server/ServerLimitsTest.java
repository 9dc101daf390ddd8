package dev.palate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.palate.server.ServerFixtures.ScriptedScorer;

/** Limits, backpressure, authentication, routing, readiness, disconnects and graceful stop, with a scripted scorer. */
@Timeout(30)
class ServerLimitsTest {
    private static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}; // the scripted scorer never decodes

    private static byte[] payload(int images, String prompt) {
        return TestPickles.payload(Collections.nCopies(images, IMAGE), Collections.nCopies(images, prompt));
    }

    private static String error(HttpResponse<byte[]> r) {
        return (String) ServerFixtures.unpickle(r.body()).get("error");
    }

    @Test
    void aBodyAboveMaxBodyBytesGets413NamingTheLimitWhetherItsLengthIsDeclaredOrChunked() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxBodyBytes(1000).build(), List.of(s.served()))) {
            byte[] big = payload(300, "p");
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri("m"), big);
            assertEquals(413, r.statusCode());
            assertTrue(error(r).contains("above the limit of 1000 bytes (--max-body-bytes)"), error(r));
            HttpRequest chunked = HttpRequest.newBuilder(server.uri("m"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
            HttpResponse<byte[]> c = ServerFixtures.HTTP.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(413, c.statusCode());
            assertEquals(200, ServerFixtures.post(server.uri("m"), payload(3, "p")).statusCode(), "a small body still passes");
        }
    }

    @Test
    void tooManyImagesAndAnImageDeclaringTooManyPixelsGet413NamingTheLimit() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxImages(4).build(), List.of(s.served()))) {
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri("m"), payload(5, "p"));
            assertEquals(413, r.statusCode());
            assertTrue(error(r).contains("above the limit of 4 per request (--max-images)"), error(r));
            // a PNG header declaring 30000 x 30000 pixels, and nothing else: refused from the header, never decoded
            byte[] bomb = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                    0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0, 0, 0, 0, 0};
            HttpResponse<byte[]> b = ServerFixtures.post(server.uri("m"), TestPickles.payload(List.of(IMAGE, bomb), List.of("a", "b")));
            assertEquals(413, b.statusCode());
            assertTrue(error(b).contains("images[1]: PNG of 30000x30000") && error(b).contains("--max-image-pixels"), error(b));
            assertEquals(0, s.calls.get(), "nothing was scored");
        }
    }

    @Test
    void aFullQueueGets503WithRetryAfterAndTheAdmittedRequestsStillComplete() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        s.hold();
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxBatch(1).maxWaitMs(0).maxQueue(4).maxImages(4).build(),
                List.of(s.served())); AutoCloseable opened = s::open) {
            CompletableFuture<HttpResponse<byte[]>> a = async(server, payload(1, "a"));
            s.awaitEntered(1); // a is in its forward pass, out of the queue
            CompletableFuture<HttpResponse<byte[]>> b = async(server, payload(4, "b"));
            awaitQueued(server, 4);
            HttpResponse<byte[]> c = ServerFixtures.post(server.uri("m"), payload(1, "c"));
            assertEquals(503, c.statusCode());
            assertEquals("1", c.headers().firstValue("Retry-After").orElse(null));
            assertTrue(error(c).contains("the queue is full (4 of 4 items waiting, --max-queue)"), error(c));
            s.open();
            assertEquals(200, a.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(200, b.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(List.of(1, 1, 1, 1, 1), s.batches, "--max-batch 1: one item per forward pass");
        }
    }

    @Test
    void withATokenFileEveryEndpointButHealthAndReadyNeedsTheBearerToken() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        try (PalateServer server = PalateServer.start(ServerFixtures.config().token("s3cret").build(), List.of(s.served()))) {
            HttpResponse<byte[]> none = ServerFixtures.post(server.uri("m"), payload(1, "p"));
            assertEquals(401, none.statusCode());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(error(none).contains("Authorization: Bearer"));
            assertEquals(401, ServerFixtures.post(server.uri("m"), payload(1, "p"), "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, ServerFixtures.get(server.uri().resolve("/v1/metrics")).statusCode());
            assertEquals(401, ServerFixtures.get(server.uri().resolve("/metrics")).statusCode());
            assertEquals(200, ServerFixtures.post(server.uri("m"), payload(1, "p"), "Authorization", "Bearer s3cret").statusCode());
            assertEquals(200, ServerFixtures.get(server.uri().resolve("/health")).statusCode());
            assertEquals(200, ServerFixtures.get(server.uri().resolve("/ready")).statusCode());
            assertEquals(0, s.calls.get() - 1, "only the authorised request was scored");
        }
    }

    @Test
    void postToTheRootWithSeveralMetricsGets404ListingOneUrlPerMetric() throws Exception {
        ScriptedScorer a = new ScriptedScorer("alpha"), b = new ScriptedScorer("beta.1");
        try (PalateServer server = PalateServer.start(ServerFixtures.config().build(), List.of(a.served(), b.served()))) {
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri(), payload(1, "p"));
            assertEquals(404, r.statusCode());
            assertTrue(error(r).contains(server.uri("alpha").toString()) && error(r).contains(server.uri("beta.1").toString()), error(r));
            HttpResponse<byte[]> unknown = ServerFixtures.post(server.uri("gamma"), payload(1, "p"));
            assertEquals(404, unknown.statusCode());
            assertTrue(error(unknown).contains("no metric 'gamma'"), error(unknown));
            Map<String, Object> ok = ServerFixtures.unpickle(ServerFixtures.post(server.uri("beta.1"), payload(2, "q")).body());
            assertEquals(List.of((double) ScriptedScorer.expected("q"), (double) ScriptedScorer.expected("q")), ok.get("scores"));
            assertEquals(0, a.calls.get());
        }
    }

    @Test
    void aRequestWithMoreItemsThanTheWholeQueueGets413NotAnEndless503() throws Exception {
        ScriptedScorer a = new ScriptedScorer("alpha"), b = new ScriptedScorer("beta");
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxQueue(4).maxImages(4).build(), List.of(a.served(), b.served()))) {
            String body = "{\"metric\": [\"alpha\", \"beta\"], \"prompt\": \"p\", \"images\": [\"AAAA\", \"AAAA\", \"AAAA\"]}";
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri().resolve("/v1/score"), body.getBytes(StandardCharsets.UTF_8));
            assertEquals(413, r.statusCode());
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("6 items (3 images x 2 metrics), more than the whole queue holds (--max-queue 4)"));
        }
    }

    @Test
    void whileModelsLoadHealthAnswersAndReadyAndScoringSay503() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CountDownLatch release = new CountDownLatch(1);
        ScriptedScorer s = new ScriptedScorer("m");
        ServedMetric slow = new ServedMetric("m", "cpu", "fp32", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return s;
        });
        CompletableFuture<PalateServer> started = CompletableFuture.supplyAsync(() -> PalateServer.start(
                ServerFixtures.config().port(port).build(), List.of(slow)));
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + port + "/");
        HttpResponse<String> health = null;
        for (int i = 0; i < 500 && health == null; i++) {
            try {
                health = ServerFixtures.get(base.resolve("/health"));
            } catch (ConnectException e) {
                Thread.sleep(10);
            }
        }
        assertEquals(200, health.statusCode());
        HttpResponse<String> ready = ServerFixtures.get(base.resolve("/ready"));
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().contains("loading m"), ready.body());
        assertEquals(503, ServerFixtures.post(base.resolve("/m"), payload(1, "p")).statusCode());
        release.countDown();
        try (PalateServer server = started.get(10, TimeUnit.SECONDS)) {
            assertEquals(200, ServerFixtures.get(base.resolve("/ready")).statusCode());
            assertEquals(200, ServerFixtures.post(server.uri("m"), payload(1, "p")).statusCode());
        }
    }

    @Test
    void aClientThatDisconnectsLeavesNoWorkQueued() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        s.hold();
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxBatch(1).maxWaitMs(0).build(), List.of(s.served()));
             AutoCloseable opened = s::open) {
            CompletableFuture<HttpResponse<byte[]>> a = async(server, payload(1, "a"));
            s.awaitEntered(1);
            byte[] body = payload(3, "gone");
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /m HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                awaitQueued(server, 3);
            } // closed with its 3 items queued behind the held forward pass
            awaitMetric(server, "palate_errors_total{kind=\"client_gone\"} 1");
            s.open();
            assertEquals(200, a.get(10, TimeUnit.SECONDS).statusCode());
            awaitQueued(server, 0);
            awaitMetric(server, "palate_items_total{metric=\"m\",outcome=\"cancelled\"} 3");
            assertEquals(List.of(1), s.batches, "the gone client's items were dropped, not scored");
        }
    }

    @Test
    void closeFinishesTheRequestInFlightThenStopsAcceptingAndClosesTheScorer() throws Exception {
        ScriptedScorer s = new ScriptedScorer("m");
        s.hold();
        PalateServer server = PalateServer.start(ServerFixtures.config().build(), List.of(s.served()));
        try (AutoCloseable opened = s::open) {
        CompletableFuture<HttpResponse<byte[]>> a = async(server, payload(2, "in flight"));
        s.awaitEntered(1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        Thread.sleep(300);
        assertFalse(closing.isDone(), "close waits for the request in flight");
        assertThrows(Exception.class, () -> ServerFixtures.post(server.uri("m"), payload(1, "late")), "no new connections while stopping");
        s.open();
        HttpResponse<byte[]> r = a.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals(List.of((double) ScriptedScorer.expected("in flight"), (double) ScriptedScorer.expected("in flight")),
                ServerFixtures.unpickle(r.body()).get("scores"));
        closing.get(10, TimeUnit.SECONDS);
        assertTrue(s.closed);
        }
    }

    private static CompletableFuture<HttpResponse<byte[]>> async(PalateServer server, byte[] body) {
        return ServerFixtures.HTTP.sendAsync(HttpRequest.newBuilder(server.uri("m")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitQueued(PalateServer server, int n) throws Exception {
        awaitMetric(server, "palate_queue_items " + n + "\n");
    }

    private static void awaitMetric(PalateServer server, String line) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String text = server.prometheus();
            if (text.contains(line)) return;
            if (i == 499) seen.add(text);
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + line.trim() + "' in /metrics:\n" + seen);
    }
}
