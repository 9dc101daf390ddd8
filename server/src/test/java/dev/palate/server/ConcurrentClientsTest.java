package dev.palate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.models.ImageInput;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerRegistry;

/**
 * 64 clients at once (half pickle, half JSON), each with its own images and prompts, against the tiny hpsv2: every
 * client gets its own scores back, item by item, equal to scoring each pair alone; the server merged their items
 * into shared batches.
 */
@Timeout(60)
class ConcurrentClientsTest {
    private static final int CLIENTS = 64, ITEMS = 3;

    @Test
    void sixtyFourConcurrentClientsGetTheirOwnScoresItemByItemWithin1e5OfEachPairScoredAlone() throws Exception {
        List<?> fixture = (List<?>) ((Map<?, ?>) DataUnpickler.load(ServerFixtures.payload("payload_p4.pkl"))).get("images");
        List<byte[]> pool = List.of((byte[]) fixture.get(1), (byte[]) fixture.get(2), (byte[]) fixture.get(4), (byte[]) fixture.get(5));
        List<List<byte[]>> images = new ArrayList<>();
        List<List<String>> prompts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            List<byte[]> im = new ArrayList<>();
            List<String> pr = new ArrayList<>();
            for (int k = 0; k < ITEMS; k++) {
                im.add(pool.get((c + 2 * k) % pool.size()));
                pr.add(k == 2 ? "a shared prompt" : "client " + c + " item " + k + (c % 2 == 0 ? " a red cube" : " a cat"));
            }
            images.add(im);
            prompts.add(pr);
        }
        try (PalateServer server = PalateServer.start(ServerFixtures.config().maxBatch(32).maxWaitMs(5).build(), List.of(ServerFixtures.hpsv2(32)));
             Scorer alone = ScorerRegistry.create("hpsv2", ServerFixtures.hpsv2Options(1))) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<double[]>> replies = new ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Callable<double[]> call = () -> {
                    go.await();
                    return client % 2 == 0 ? viaPickle(server, images.get(client), prompts.get(client))
                            : viaJson(server, images.get(client), prompts.get(client));
                };
                replies.add(clients.submit(call));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<double[]> f : replies) f.get();
            long served = System.nanoTime() - t0;
            Map<byte[], ImageInput> decodedOnce = new java.util.IdentityHashMap<>(); // the reference decodes each pool image once
            for (byte[] b : pool) decodedOnce.put(b, ImageInput.of(b, "pool"));
            double max = 0;
            for (int c = 0; c < CLIENTS; c++) {
                double[] got = replies.get(c).get();
                assertEquals(ITEMS, got.length, "client " + c);
                for (int k = 0; k < ITEMS; k++) {
                    float expected = alone.score(prompts.get(c).get(k), List.of(decodedOnce.get(images.get(c).get(k)))).get(0);
                    assertEquals(expected, got[k], 1e-5, "client " + c + " item " + k);
                    max = Math.max(max, Math.abs(expected - got[k]));
                }
            }
            clients.shutdown();
            System.out.printf("served in %.2f s, reference (each pair alone) %.2f s%n", served / 1e9, (System.nanoTime() - t0 - served) / 1e9);
            String metrics = ServerFixtures.get(server.uri().resolve("/metrics")).body();
            long batches = series(metrics, "palate_batch_size_count{metric=\"hpsv2\"}");
            long items = series(metrics, "palate_items_total{metric=\"hpsv2\",outcome=\"scored\"}");
            System.out.printf("%d clients x %d items: %d items in %d forward passes (%.1f per pass), max abs diff to each pair alone %.3g%n",
                    CLIENTS, ITEMS, items, batches, items / (double) batches, max);
            assertEquals(CLIENTS * ITEMS, items);
            assertTrue(batches < items, "items of concurrent requests were merged into shared batches");
        }
    }

    private static double[] viaPickle(PalateServer server, List<byte[]> images, List<String> prompts) throws Exception {
        HttpResponse<byte[]> r = ServerFixtures.post(server.uri("hpsv2"), TestPickles.payload(images, prompts));
        assertEquals(200, r.statusCode());
        List<?> scores = (List<?>) ServerFixtures.unpickle(r.body()).get("scores");
        return scores.stream().mapToDouble(x -> (Double) x).toArray();
    }

    private static double[] viaJson(PalateServer server, List<byte[]> images, List<String> prompts) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", "hpsv2");
        body.put("prompts", prompts);
        body.put("images", images.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList());
        HttpResponse<byte[]> r = ServerFixtures.post(server.uri().resolve("/v1/score"), JsonApi.GSON.toJson(body).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonArray results = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("results");
        double[] out = new double[results.size()];
        for (int i = 0; i < out.length; i++) {
            JsonObject e = results.get(i).getAsJsonObject();
            out[i] = e.get("hpsv2").getAsDouble();
        }
        return out;
    }

    static long series(String metrics, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + " (\\d+)").matcher(metrics);
        if (!m.find()) throw new AssertionError("no " + name + " in\n" + metrics);
        return Long.parseLong(m.group(1));
    }
}
