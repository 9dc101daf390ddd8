package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * A run over a manifest with repeated rows (the same image and prompt several times, as several seeds of one prompt
 * give), with two metrics, killed with SIGKILL at random points twice and rerun with the same output, ends with
 * exactly the file an uninterrupted run writes, byte for byte: rows are matched by position and a resume restarts at
 * the batch boundary, so every row is scored with the batch neighbours it has in an uninterrupted run.
 */
class ScoreResumeAfterKillTest {
    private static final int IMAGES = 48, ROWS = 96, BATCH = 4;

    @TempDir Path dir;

    @Test
    void twoKillsAtRandomPointsThenARerunGiveTheUninterruptedFileByteForByte() throws Exception {
        Path manifest = generate(dir.resolve("images"));
        Path full = dir.resolve("full.jsonl"), resumed = dir.resolve("resumed.jsonl");
        long t0 = System.nanoTime();
        assertEquals(0, Fixtures.cli(args(manifest, full).toArray(String[]::new)));
        System.out.printf("uninterrupted run (in process): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<JsonObject> rows = Fixtures.jsonl(full);
        assertEquals(ROWS, rows.size(), "one output row per input row, repeats included");
        for (int i = 0; i < ROWS; i++) {
            assertEquals(String.format("img%03d.png", i % IMAGES), rows.get(i).get("image").getAsString(), "row order");
            assertTrue(rows.get(i).has("hpsv2") && rows.get(i).has("imagereward"), rows.get(i).toString());
        }

        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int kill = 1; kill <= 2; kill++) {
            long before = lines(resumed);
            long target = Math.min(ROWS - 1, before + 1 + rnd.nextInt((int) (ROWS - before) / 2));
            Process p = start(manifest, resumed);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines(resumed) < target && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(1);
            assertTrue(p.isAlive(), "run " + kill + " finished before it could be killed (seed " + seed + ")");
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, possibly mid-write
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            System.out.printf("kill -9 #%d with %d of %d rows written (target %d, seed %d)%n", kill, lines(resumed), ROWS, target, seed);
        }
        Process last = start(manifest, resumed);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue(), Files.readString(dir.resolve("resumed.jsonl.log")));
        assertEquals(Files.readString(full), Files.readString(resumed), "seed " + seed);
    }

    private static long lines(Path p) throws Exception {
        if (!Files.exists(p)) return 0;
        long n = 0;
        for (byte x : Files.readAllBytes(p)) if (x == '\n') n++;
        return n;
    }

    private List<String> args(Path manifest, Path output) {
        return List.of("score", "--metric", "hpsv2,imagereward",
                "--model", "hpsv2=" + Fixtures.ROOT.resolve("clip/clip-tiny-gelu"),
                "--model", "imagereward=" + Fixtures.ROOT.resolve("imagereward"),
                "--input", manifest.toString(), "--output", output.toString(), "--batch-size", Integer.toString(BATCH), "--quiet");
    }

    private Process start(Path manifest, Path output) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), PalateCli.class.getName()));
        cmd.addAll(args(manifest, output));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(output.getFileName() + ".log").toFile()).start();
    }

    /** 48 noise PNGs of varied sizes and a manifest listing each twice (rows i and i + 48: same image, prompt, checkpoint). */
    private static Path generate(Path folder) throws Exception {
        Files.createDirectories(folder);
        Random rnd = new Random(42);
        String[] subjects = {"a red fox in snow", "a lighthouse at dusk", "a bowl of ramen", "an astronaut riding a horse", "a city street in rain"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            int w = 32 + rnd.nextInt(96), h = 32 + rnd.nextInt(96);
            byte[] px = new byte[w * h * 3];
            rnd.nextBytes(px);
            try (Mat m = new Mat(h, w, opencv_core.CV_8UC3)) {
                m.data().put(px);
                assertTrue(opencv_imgcodecs.imwrite(folder.resolve(String.format("img%03d.png", i)).toString(), m));
            }
        }
        for (int i = 0; i < ROWS; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("image", String.format("img%03d.png", i % IMAGES));
            row.addProperty("prompt", subjects[i % IMAGES % 5]);
            row.addProperty("checkpoint", "ck" + (i % IMAGES % 3));
            lines.add(row.toString());
        }
        Path manifest = folder.resolve("manifest.jsonl");
        Files.write(manifest, lines, StandardCharsets.UTF_8);
        return manifest;
    }
}
