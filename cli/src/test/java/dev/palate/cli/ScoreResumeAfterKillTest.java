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
 * A run over 200 generated images with two metrics, killed with SIGTERM in the middle and rerun with the same
 * output, ends with exactly the file an uninterrupted run writes.
 */
class ScoreResumeAfterSigtermTest {
    private static final int IMAGES = 200;

    @TempDir Path dir;

    @Test
    void sigtermMidRunThenRerunGivesTheSameFileAsAnUninterruptedRun() throws Exception {
        Path images = generateImages(dir.resolve("images"));
        Path full = dir.resolve("full.jsonl"), resumed = dir.resolve("resumed.jsonl");

        long t0 = System.nanoTime();
        assertEquals(0, startScore(images, full).waitFor());
        System.out.printf("uninterrupted run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<JsonObject> rows = Fixtures.jsonl(full);
        assertEquals(IMAGES, rows.size());
        for (int i = 0; i < IMAGES; i++) {
            JsonObject r = rows.get(i);
            assertEquals(String.format("img%03d.png", i), r.get("image").getAsString(), "row order");
            assertEquals("ck" + (i % 3), r.get("checkpoint").getAsString());
            assertEquals(i % 4, r.get("seed").getAsInt());
            assertTrue(r.has("hpsv2") && r.has("imagereward") && !r.has("error"), r.toString());
        }

        Process p = startScore(images, resumed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(resumed) < IMAGES / 5 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the run finished before it could be interrupted");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        long atKill = lines(resumed);
        System.out.printf("killed with %d of %d rows written (exit %d)%n", atKill, IMAGES, p.exitValue());
        assertTrue(atKill < IMAGES, "kill came too late to test resuming: " + atKill);

        assertEquals(0, startScore(images, resumed).waitFor());
        assertEquals(Files.readString(full), Files.readString(resumed));
    }

    private static long lines(Path p) throws Exception {
        if (!Files.exists(p)) return 0;
        byte[] b = Files.readAllBytes(p);
        long n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }

    private Process startScore(Path images, Path output) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), PalateCli.class.getName(), "score",
                "--metric", "hpsv2,imagereward",
                "--model", "hpsv2=" + Fixtures.ROOT.resolve("clip/clip-tiny-gelu"),
                "--model", "imagereward=" + Fixtures.ROOT.resolve("imagereward"),
                "--images", images.toString(), "--output", output.toString(), "--batch-size", "4", "--quiet"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(output.getFileName() + ".log").toFile()).start();
    }

    /** 200 noise PNGs of varied sizes, and a prompts.jsonl with checkpoint, seed and prompt per image. */
    private static Path generateImages(Path folder) throws Exception {
        Files.createDirectories(folder);
        Random rnd = new Random(42);
        StringBuilder prompts = new StringBuilder();
        String[] subjects = {"a red fox in snow", "a lighthouse at dusk", "a bowl of ramen", "an astronaut riding a horse", "a city street in rain"};
        for (int i = 0; i < IMAGES; i++) {
            int w = 64 + rnd.nextInt(192), h = 64 + rnd.nextInt(192);
            byte[] px = new byte[w * h * 3];
            rnd.nextBytes(px);
            try (Mat m = new Mat(h, w, opencv_core.CV_8UC3)) {
                m.data().put(px);
                String name = String.format("img%03d.png", i);
                assertTrue(opencv_imgcodecs.imwrite(folder.resolve(name).toString(), m));
                JsonObject row = new JsonObject();
                row.addProperty("file", name);
                row.addProperty("prompt", subjects[i % 5]);
                row.addProperty("checkpoint", "ck" + (i % 3));
                row.addProperty("seed", i % 4);
                prompts.append(row).append('\n');
            }
        }
        Files.writeString(folder.resolve("prompts.jsonl"), prompts, StandardCharsets.UTF_8);
        return folder;
    }
}
