package dev.palate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.models.ImageInput;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;

/** POST /v1/score with two metrics (the tiny hpsv2 and ImageReward), GET /v1/metrics and the Prometheus text. */
@Timeout(60)
class JsonApiTest {
    static PalateServer server;
    static List<byte[]> images;

    @BeforeAll
    static void start() throws Exception {
        server = PalateServer.start(ServerFixtures.config().build(), List.of(ServerFixtures.hpsv2(8), ServerFixtures.imagereward(8)));
        List<?> fixture = (List<?>) ((Map<?, ?>) DataUnpickler.load(ServerFixtures.payload("payload_p4.pkl"))).get("images");
        images = List.of((byte[]) fixture.get(4), (byte[]) fixture.get(5));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> score(Map<String, Object> body) throws Exception {
        return ServerFixtures.post(server.uri().resolve("/v1/score"), JsonApi.GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static List<String> base64(List<byte[]> b) {
        return b.stream().map(x -> Base64.getEncoder().encodeToString(x)).toList();
    }

    @Test
    void twoMetricsOnePromptGiveOneEntryPerImageWithEachMetricsScoreAndABrokenImageFailsOnlyItsEntry() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", List.of("hpsv2", "imagereward"));
        body.put("prompt", "a photo of a cat");
        byte[] broken = {1, 2, 3};
        body.put("images", List.of(base64(images).get(0), Base64.getEncoder().encodeToString(broken), "data:image/png;base64," + base64(images).get(1)));
        HttpResponse<byte[]> r = score(body);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonArray results = json(r).getAsJsonArray("results");
        assertEquals(3, results.size());
        try (Scorer hps = ScorerRegistry.create("hpsv2", ServerFixtures.hpsv2Options(1));
             Scorer ir = ScorerRegistry.create("imagereward", ScorerOptions.builder().model(ServerFixtures.IMAGEREWARD_TINY.toString()).batchSize(1).build())) {
            for (int i : new int[] {0, 2}) {
                JsonObject e = results.get(i).getAsJsonObject();
                assertFalse(e.has("error"), e.toString());
                byte[] img = images.get(i == 0 ? 0 : 1);
                assertEquals(hps.score("a photo of a cat", List.of(ImageInput.of(img, "x"))).get(0), e.get("hpsv2").getAsDouble(), 1e-5);
                assertEquals(ir.score("a photo of a cat", List.of(ImageInput.of(img, "x"))).get(0), e.get("imagereward").getAsDouble(), 1e-5);
            }
        }
        JsonObject bad = results.get(1).getAsJsonObject();
        assertFalse(bad.has("hpsv2") || bad.has("imagereward"), "a failed item has no number: " + bad);
        assertTrue(bad.get("error").getAsString().startsWith("hpsv2: images[1]"), bad.toString());
        assertTrue(bad.get("error").getAsString().contains("; imagereward: images[1]"), bad.toString());
    }

    @Test
    void malformedRequestsGet400SayingWhatIsWrong() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"metric\": \"nope\", \"images\": []}", "metric 'nope' is not served here; this server serves hpsv2, imagereward");
        cases.put("{\"images\": []}", "'metric' is missing");
        cases.put("{\"metric\": \"hpsv2\", \"images\": [\"***\"]}", "images[0] is not base64");
        cases.put("{\"metric\": \"hpsv2\", \"images\": [], \"prompt\": \"a\", \"prompts\": []}", "not both");
        cases.put("{\"metric\": \"hpsv2\", \"images\": [\"AAAA\"]}", "hpsv2 compares each image with its prompt, and the request has no prompts");
        cases.put("{\"metric\": \"hpsv2\", \"images\": [\"AAAA\"], \"prompts\": [\"a\", \"b\"]}", "2 prompts for 1 images");
        cases.put("[1, 2]", "not a JSON object");
        cases.put("{", "not JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri().resolve("/v1/score"), c.getKey().getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), c.getKey());
            assertTrue(json(r).get("error").getAsString().contains(c.getValue()), c.getKey() + " -> " + json(r));
        }
    }

    @Test
    void metricsListsWhatIsLoadedAndPrometheusTextCountsRequestsItemsAndBatches() throws Exception {
        JsonArray listed = JsonParser.parseString(ServerFixtures.get(server.uri().resolve("/v1/metrics")).body()).getAsJsonObject().getAsJsonArray("metrics");
        assertEquals(2, listed.size());
        JsonObject hps = listed.get(0).getAsJsonObject();
        assertEquals("hpsv2", hps.get("name").getAsString());
        assertEquals("higher", hps.get("direction").getAsString());
        assertEquals("cpu", hps.get("device").getAsString());
        assertEquals("fp32", hps.get("dtype").getAsString());
        assertEquals(server.uri("hpsv2").toString(), hps.get("url").getAsString());
        assertTrue(hps.get("uses_prompt").getAsBoolean());
        Map<String, Object> body = Map.of("metric", "imagereward", "prompts", List.of("a", "b"), "images", base64(images));
        assertEquals(200, score(body).statusCode());
        HttpResponse<String> m = ServerFixtures.get(server.uri().resolve("/metrics"));
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = m.body();
        for (String line : new String[] {"palate_ready 1", "# TYPE palate_batch_size histogram", "palate_queue_depth{metric=\"hpsv2\"} 0",
                "palate_queue_capacity 1024", "palate_http_requests_total{api=\"json\",code=\"200\"}",
                "palate_item_latency_seconds_bucket{metric=\"imagereward\",le=\"+Inf\"}", "palate_forward_seconds_count{metric=\"imagereward\"}"})
            assertTrue(text.contains(line), line + " in\n" + text);
        assertTrue(ConcurrentClientsTest.series(text, "palate_items_total{metric=\"imagereward\",outcome=\"scored\"}") >= 2);
        URI health = server.uri().resolve("/health");
        assertEquals(200, ServerFixtures.get(health).statusCode());
    }
}
