import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for palate serve's pickle endpoint, run from source (java RewardLoad.java ...; JDK 11+, no
 * dependencies): CLIENTS threads, each posting one-image reward payloads back to back (a reward client's
 * pickle.dumps({"images": [jpeg], "prompts": [p], "metadata": {}}), protocol 3), until REQUESTS requests are done or
 * SECONDS have passed. Prints one line: clients, requests, errors, requests/s, p50 and p99 latency in ms.
 *
 * usage: java RewardLoad.java URL IMAGE CLIENTS REQUESTS SECONDS [PROMPTS]
 * Loopback only: refuses a URL whose host is not 127.0.0.1, ::1 or localhost.
 */
public class RewardLoad {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String host = url.getHost();
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]"))
            throw new IllegalArgumentException("loopback only: " + url);
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        int clients = Integer.parseInt(args[2]);
        long limit = Long.parseLong(args[3]);
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        int distinctPrompts = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        byte[][] bodies = new byte[distinctPrompts][];
        for (int i = 0; i < distinctPrompts; i++) bodies[i] = payload(image, "a photo of subject " + i + ", highly detailed");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicLong issued = new AtomicLong(), errors = new AtomicLong();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long[] lat = new long[1024];
                int n = 0;
                try {
                    while (System.nanoTime() < deadline) {
                        long k = issued.getAndIncrement();
                        if (k >= limit) break;
                        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[(int) (k % bodies.length)])).build();
                        long s = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() != 200) errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = System.nanoTime() - s;
                    }
                } finally {
                    latencies[client] = lat;
                    counts[client] = n;
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int total = 0;
        for (int n : counts) total += n;
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf("clients=%d requests=%d errors=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f%n", clients, total, errors.get(),
                seconds, total / seconds, pct(all, 0.50), pct(all, 0.99));
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** {"images": [image], "prompts": [prompt], "metadata": {}} as CPython's pickle writes it at protocol 3 (no memo). */
    private static byte[] payload(byte[] image, String prompt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(3);
        out.write('}');
        out.write('(');
        str(out, "images");
        out.write(']');
        out.write('B');
        le4(out, image.length);
        out.write(image, 0, image.length);
        out.write('a');
        str(out, "prompts");
        out.write(']');
        str(out, prompt);
        out.write('a');
        str(out, "metadata");
        out.write('}');
        out.write('u');
        out.write('.');
        return out.toByteArray();
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        le4(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void le4(ByteArrayOutputStream out, int n) {
        for (int i = 0; i < 4; i++) out.write(n >>> (8 * i));
    }
}
