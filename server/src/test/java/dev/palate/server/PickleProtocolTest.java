package dev.palate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import dev.palate.models.ImageInput;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerRegistry;

/**
 * Every payload of testdata/server through a real HTTP round trip on loopback, served by the tiny hpsv2: accepted
 * ones give one score per image equal to scoring that image alone, evil ones give 400 and create no file.
 */
class PickleProtocolTest {
    private static final String PWNED = "palate-pwned-by-pickle";
    static PalateServer server;
    static Scorer alone; // batch size 1: each image scored by itself

    @BeforeAll
    static void start() {
        server = PalateServer.start(ServerFixtures.config().maxBatch(32).build(), List.of(ServerFixtures.hpsv2(32)));
        alone = ScorerRegistry.create("hpsv2", ServerFixtures.hpsv2Options(1));
    }

    @AfterAll
    static void stop() {
        server.close();
        alone.close();
    }

    @Test
    void everyFixturePayloadGivesItsDocumentedResultAndScoresEqualEachImageScoredAloneWithin1e5() throws Exception {
        JsonObject files = ServerFixtures.manifest().getAsJsonObject("files");
        double max = 0;
        int scored = 0;
        for (String name : files.keySet()) {
            JsonObject entry = files.getAsJsonObject(name);
            byte[] body = ServerFixtures.payload(name);
            for (URI url : List.of(server.uri("hpsv2"), server.uri())) { // POST / works while one metric is served
                HttpResponse<byte[]> r = ServerFixtures.post(url, body);
                Map<String, Object> reply = ServerFixtures.unpickle(r.body());
                if (entry.get("refuse").getAsBoolean()) {
                    assertEquals(400, r.statusCode(), name);
                    String error = (String) reply.get("error");
                    assertTrue(error.contains("posix.system") || error.contains("builtins.eval"), error);
                    assertFalse(reply.containsKey("scores"), name);
                    continue;
                }
                assertEquals(200, r.statusCode(), name + ": " + reply);
                assertNull(reply.get("error"), name);
                List<?> scores = (List<?>) reply.get("scores");
                List<?> images = (List<?>) ((Map<?, ?>) DataUnpickler.load(body)).get("images");
                List<?> prompts = (List<?>) ((Map<?, ?>) DataUnpickler.load(body)).get("prompts");
                assertEquals(entry.getAsJsonArray("images").size(), scores.size(), name + ": one score per image");
                for (int i = 0; i < scores.size(); i++) {
                    float expected = alone.score((String) prompts.get(i), List.of(ImageInput.of((byte[]) images.get(i), name + "[" + i + "]"))).get(0);
                    max = Math.max(max, Math.abs((Double) scores.get(i) - expected));
                    scored++;
                }
            }
        }
        System.out.printf("pickle protocol: %d scores over HTTP vs each image scored alone, max abs diff %.3g%n", scored, max);
        assertTrue(max <= 1e-5, "max abs diff " + max);
        assertEquals(2 * (4 * 6 + 2), scored);
    }

    @Test
    void evilPayloadsAreRefusedWith400AndCreateNoFile() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (String name : new String[] {"evil_system.pkl", "evil_eval_in_list.pkl", "evil_top_level.pkl"}) {
            HttpResponse<byte[]> r = ServerFixtures.post(server.uri("hpsv2"), ServerFixtures.payload(name));
            assertEquals(400, r.statusCode(), name);
            assertTrue(((String) ServerFixtures.unpickle(r.body()).get("error")).contains("Nothing was executed"));
        }
        Thread.sleep(200); // a spawned `touch` would have run by now
        assertFalse(Files.exists(cwd.resolve(PWNED)), "created in " + cwd);
        assertFalse(Files.exists(tmp.resolve(PWNED)), "created in " + tmp);
        String metrics = ServerFixtures.get(server.uri().resolve("/metrics")).body();
        assertTrue(metrics.contains("palate_errors_total{kind=\"unsafe_pickle\"}"), metrics);
    }

    @Test
    void aPayloadWithAPathInsteadOfBytesIsRefusedWithoutOpeningIt() throws Exception {
        byte[] body = TestPickles.proto(3).op('}').op('(').str("images").op(']').str("/etc/passwd").op('a').str("prompts").op(']').str("x").op('a').op('u').stop();
        HttpResponse<byte[]> r = ServerFixtures.post(server.uri("hpsv2"), body);
        assertEquals(400, r.statusCode());
        assertTrue(((String) ServerFixtures.unpickle(r.body()).get("error")).contains("never opens a path"));
    }

    @Test
    void aBrokenImageFailsOnlyItsOwnItemAndTheReplyCarriesNoneNotANumberWithStatus500() throws Exception {
        byte[] good = (byte[]) ((List<?>) ((Map<?, ?>) DataUnpickler.load(ServerFixtures.payload("payload_p4.pkl"))).get("images")).get(5);
        byte[] broken = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3};
        HttpResponse<byte[]> r = ServerFixtures.post(server.uri("hpsv2"), TestPickles.payload(List.of(good, broken, good), List.of("a cat", "a cat", "a dog")));
        assertEquals(500, r.statusCode());
        Map<String, Object> reply = ServerFixtures.unpickle(r.body());
        List<?> scores = (List<?>) reply.get("scores"), errors = (List<?>) reply.get("errors");
        assertTrue(((String) reply.get("error")).startsWith("1 of 3 items failed: images[1]"), (String) reply.get("error"));
        assertNull(scores.get(1), "a failed item is None, never a number");
        assertNull(errors.get(0));
        assertTrue(((String) errors.get(1)).contains("images[1]"), (String) errors.get(1));
        float cat = alone.score("a cat", List.of(ImageInput.of(good, "good"))).get(0);
        float dog = alone.score("a dog", List.of(ImageInput.of(good, "good"))).get(0);
        assertEquals(cat, (Double) scores.get(0), 1e-5);
        assertEquals(dog, (Double) scores.get(2), 1e-5);
    }
}
