package dev.palate.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;

/** Test helpers: the fixture folder, the tiny models, a scripted scorer and an HTTP client on loopback. */
final class ServerFixtures {
    static final Path ROOT = Path.of(System.getProperty("palate.testdata", "../testdata"));
    static final Path SERVER = ROOT.resolve("server");
    static final Path HPSV2_TINY = ROOT.resolve("clip/clip-tiny-gelu");
    static final Path IMAGEREWARD_TINY = ROOT.resolve("imagereward");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private ServerFixtures() {}

    static byte[] payload(String name) throws IOException {
        return Files.readAllBytes(SERVER.resolve(name));
    }

    static JsonObject manifest() throws IOException {
        return JsonParser.parseString(Files.readString(SERVER.resolve("manifest.json"))).getAsJsonObject();
    }

    /** The tiny hpsv2 (open_clip ViT, 56 px) as {@code palate serve} loads it: batch size = max batch. */
    static ServedMetric hpsv2(int batch) {
        return new ServedMetric("hpsv2", "cpu", "fp32", () -> ScorerRegistry.create("hpsv2", hpsv2Options(batch)));
    }

    static ScorerOptions hpsv2Options(int batch) {
        return ScorerOptions.builder().model(HPSV2_TINY.toString()).batchSize(batch).build();
    }

    static ServedMetric imagereward(int batch) {
        return new ServedMetric("imagereward", "cpu", "fp32", () -> ScorerRegistry.create("imagereward",
                ScorerOptions.builder().model(IMAGEREWARD_TINY.toString()).batchSize(batch).build()));
    }

    static ServerConfig.Builder config() {
        return ServerConfig.builder().port(0).shutdownTimeoutMs(10_000);
    }

    static HttpResponse<byte[]> post(URI uri, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A pickled reply as data (a reply holds nothing else, so the server's own reader reads it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> unpickle(byte[] reply) {
        return (Map<String, Object>) DataUnpickler.load(reply);
    }

    /** The payload dict a reward client pickles, written with {@link PickleWriter} (images as bytes need protocol 3+). */
    static byte[] rewardPayload(List<byte[]> images, List<String> prompts) {
        return TestPickles.payload(images, prompts);
    }

    /**
     * A scorer scripted by the test: item score = a number derived from the prompt (so a mix-up of items between
     * requests shows), failing the items whose prompt starts with "fail"; {@link #gate} can hold every forward pass.
     */
    static final class ScriptedScorer implements Scorer {
        final MetricInfo info;
        volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
        final List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger entered = new AtomicInteger(); // forward passes begun (possibly held at the gate)
        volatile boolean closed;

        ScriptedScorer(String name) {
            info = new MetricInfo(name, "scripted for tests", MetricInfo.Direction.HIGHER_IS_BETTER, "prompt-derived",
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
        }

        static float expected(String prompt) {
            return (prompt.hashCode() % 100_000) / 1000f;
        }

        @Override
        public MetricInfo metric() { return info; }

        @Override
        public ScoreResult score(String prompt, List<ImageInput> images) {
            return score(java.util.Collections.nCopies(images.size(), prompt), images);
        }

        @Override
        public ScoreResult score(List<String> prompts, List<ImageInput> images) {
            entered.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            calls.incrementAndGet();
            batches.add(images.size());
            ScoreResult.Builder b = ScoreResult.builder(info, images.size());
            for (int i = 0; i < images.size(); i++) {
                if (prompts.get(i).startsWith("fail")) b.error(i, images.get(i).name() + ": scripted failure");
                else b.value(i, expected(prompts.get(i)));
            }
            return b.build();
        }

        @Override
        public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void prepare(List<ImageInput> images) {
            // nothing to decode: the scripted scores do not look at pixels
        }

        @Override
        public void close() { closed = true; }

        ServedMetric served() {
            return new ServedMetric(info.name(), "cpu", "fp32", () -> this);
        }

        /** Waits until {@code n} forward passes have begun. */
        void awaitEntered(int n) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (entered.get() < n) {
                if (System.nanoTime() > deadline) throw new AssertionError("only " + entered.get() + " of " + n + " forward passes began");
                Thread.sleep(2);
            }
        }

        /** Holds every forward pass until {@link #open()}. */
        void hold() { gate = new java.util.concurrent.CountDownLatch(1); }

        void open() { gate.countDown(); }
    }
}
