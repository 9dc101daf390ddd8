package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import dev.palate.server.DataUnpickler;
import dev.palate.server.PalateServer;
import picocli.CommandLine;

/** palate serve against palate score on the very image bytes of the reward-server payloads, and its SIGTERM behaviour. */
@Timeout(120)
class ServeCommandTest {
    private static final Path SERVER = Fixtures.ROOT.resolve("server");
    private static final String HPSV2 = Fixtures.ROOT.resolve("clip/clip-tiny-gelu").toString();
    private static final String IMAGEREWARD = Fixtures.ROOT.resolve("imagereward").toString();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dir;

    @Test
    void servedScoresEqualPalateScoreOnThePayloadImageBytesWithin1e5() throws Exception {
        String[] payloads = {"payload_p2.pkl", "payload_p4.pkl", "payload_metadata.pkl"};
        StringBuilder manifest = new StringBuilder();
        for (String p : payloads) {
            Map<?, ?> root = (Map<?, ?>) DataUnpickler.load(Files.readAllBytes(SERVER.resolve(p)));
            List<?> images = (List<?>) root.get("images"), prompts = (List<?>) root.get("prompts");
            for (int i = 0; i < images.size(); i++) {
                Path file = dir.resolve(p.replace(".pkl", "") + "_" + i + ".jpg");
                Files.write(file, (byte[]) images.get(i));
                JsonObject row = new JsonObject();
                row.addProperty("image", file.toString());
                row.addProperty("prompt", (String) prompts.get(i));
                manifest.append(row).append('\n');
            }
        }
        Path in = dir.resolve("payload-images.jsonl"), out = dir.resolve("scores.jsonl");
        Files.writeString(in, manifest);
        assertEquals(0, Fixtures.cli("score", "--metric", "hpsv2,imagereward", "--model", "hpsv2=" + HPSV2, "--model", "imagereward=" + IMAGEREWARD,
                "--input", in.toString(), "--output", out.toString(), "--quiet"));
        List<JsonObject> rows = Fixtures.jsonl(out);

        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--metric", "hpsv2,imagereward", "--model", "hpsv2=" + HPSV2, "--model", "imagereward=" + IMAGEREWARD,
                "--port", "0", "--max-batch", "16");
        double max = 0;
        int compared = 0;
        try (PalateServer server = serve.start(new PrintWriter(System.err, true))) {
            for (String metric : new String[] {"hpsv2", "imagereward"}) {
                int row = 0;
                for (String p : payloads) {
                    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.uri(metric))
                            .POST(HttpRequest.BodyPublishers.ofFile(SERVER.resolve(p))).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode(), metric + " " + p);
                    List<?> scores = (List<?>) ((Map<?, ?>) DataUnpickler.load(r.body())).get("scores");
                    for (Object s : scores) {
                        double expected = rows.get(row++).get(metric).getAsDouble();
                        max = Math.max(max, Math.abs((Double) s - expected));
                        compared++;
                    }
                }
                assertEquals(rows.size(), row, metric + ": one score per payload image");
            }
        }
        System.out.printf("palate serve vs palate score on the payload images: %d scores (hpsv2, imagereward), max abs diff %.3g%n", compared, max);
        assertEquals(2 * (6 + 6 + 2), compared);
        assertTrue(max <= 1e-5, "max abs diff " + max);
    }

    @Test
    void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), PalateCli.class.getName(),
                "serve", "--metric", "hpsv2", "--model", HPSV2, "--port", "0", "--max-batch", "64", "--max-wait-ms", "5000"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> log = new ArrayList<>();
            URI base = null;
            for (String line; base == null && (line = lines.readLine()) != null; ) {
                log.add(line);
                Matcher m = Pattern.compile("ready on (http://\\S+/)").matcher(line);
                if (m.find()) base = URI.create(m.group(1));
            }
            assertTrue(base != null, "no 'ready on' line in " + log);
            HttpResponse<String> warm = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, warm.statusCode());
            // 6 images wait up to 5 s for a fuller batch: in flight when SIGTERM comes 1 s later, and scored at once then
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<byte[]>> inFlight = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("/hpsv2"))
                    .POST(HttpRequest.BodyPublishers.ofFile(SERVER.resolve("payload_p4.pkl"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            Thread.sleep(1000);
            // SIGTERM by kill(1): Process.destroy() would send it too, but closes our end of the child's stdout
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            HttpResponse<byte[]> r = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), () -> DataUnpickler.load(r.body()) + "\n" + String.join("\n", log));
            assertEquals(6, ((List<?>) ((Map<?, ?>) DataUnpickler.load(r.body())).get("scores")).size());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running after SIGTERM");
            for (String line; (line = lines.readLine()) != null; ) log.add(line);
            System.out.printf("SIGTERM: request in flight answered after %.2f s, exit %d%n", (System.nanoTime() - t0) / 1e9, p.exitValue());
            assertEquals(0, p.exitValue(), String.join("\n", log));
            assertTrue(System.nanoTime() - t0 < 4_500_000_000L, "the stop scored the batch without waiting out --max-wait-ms");
            assertTrue(log.contains("palate serve: stopped"), String.join("\n", log));
        } finally {
            p.destroyForcibly();
        }
    }
}
