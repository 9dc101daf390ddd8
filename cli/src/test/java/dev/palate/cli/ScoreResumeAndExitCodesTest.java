package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Resume by position (duplicate rows survive), recomputing what is missing or made differently, refusing
 * input == output, --retry-errors, exit codes 0/1/2, --fail-on-error, and the provenance record.
 */
class ScoreResumeAndExitCodesTest {
    @TempDir Path dir;

    private final Path model = Fixtures.ROOT.resolve("clip/clip-tiny-gelu");
    private final Path images = Fixtures.ROOT.resolve("clip/images");

    /** 11 rows: the same image and prompt three times (seeds of one prompt), and a missing file at row 6. */
    private Path manifest() throws Exception {
        Path m = dir.resolve("m.jsonl");
        StringBuilder sb = new StringBuilder();
        String[] files = {"tiny_37x53.png", "tiny_37x53.png", "tiny_37x53.png", "rgb_224x224.png", "rgb_223x225.jpg", "missing.png",
                "gray_1024x256.png", "tiny_37x53.png", "palette_512x512.png", "rgba_300x300.png", "rgb_224x224.png"};
        for (int i = 0; i < files.length; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("image", files[i].equals("missing.png") ? dir.resolve("missing.png").toString() : images.resolve(files[i]).toString());
            row.addProperty("prompt", i < 3 ? "a cat" : "a photo number " + (i % 4));
            row.addProperty("checkpoint", "ck");
            manifest(sb, row);
        }
        Files.writeString(m, sb);
        return m;
    }

    private static void manifest(StringBuilder sb, JsonObject row) {
        sb.append(row).append('\n');
    }

    private Fixtures.Result score(Path in, Path out, String metrics, String... extra) {
        List<String> args = new ArrayList<>(List.of("score", "--metric", metrics, "--input", in.toString(), "--output", out.toString(),
                "--batch-size", "4", "--quiet"));
        for (String m : metrics.split(",")) args.addAll(List.of("--model", m + "=" + model));
        args.addAll(List.of(extra));
        return Fixtures.cliCapturingErr(args.toArray(String[]::new));
    }

    @Test
    void duplicateRowsSurviveAResumeFromAnIncompleteBatchByteForByte() throws Exception {
        Path m = manifest(), full = dir.resolve("full.jsonl"), cut = dir.resolve("cut.jsonl");
        assertEquals(1, score(m, full, "hpsv2").exitCode(), "row 6 fails: exit 1");
        List<String> lines = Files.readAllLines(full);
        assertEquals(11, lines.size());
        // a kill after 6 complete lines (batch 2 of 4 half written) and half a 7th
        Files.writeString(cut, String.join("\n", lines.subList(0, 6)) + "\n" + lines.get(6).substring(0, 9));
        Files.copy(dir.resolve("full.jsonl.meta.json"), dir.resolve("cut.jsonl.meta.json"));
        Fixtures.Result r = score(m, cut, "hpsv2");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(Files.readString(full), Files.readString(cut));
    }

    @Test
    void anAddedMetricIsComputedForTheEarlierRowsTooAsAFreshRunWouldAndChangedOptionsAreRecomputed() throws Exception {
        Path m = manifest(), out = dir.resolve("s.jsonl"), fresh = dir.resolve("fresh.jsonl");
        score(m, out, "hpsv2");
        Fixtures.Result r = Fixtures.cliCapturingErr("score", "--metric", "hpsv2,pickscore", "--model", "hpsv2=" + model, "--model",
                "pickscore=" + model, "--input", m.toString(), "--output", out.toString(), "--batch-size", "4");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("pickscore is new: computing it for the 11 earlier rows too"), r.err());
        score(m, fresh, "hpsv2,pickscore");
        assertEquals(Files.readString(fresh), Files.readString(out));
        assertFalse(Files.exists(dir.resolve("s.jsonl.rewrite.tmp")));

        Fixtures.Result anti = score(m, out, "hpsv2,pickscore", "--set", "hpsv2:resize=antialias");
        assertEquals(1, anti.exitCode(), anti.err());
        Path freshAnti = dir.resolve("fresh-anti.jsonl");
        score(m, freshAnti, "hpsv2,pickscore", "--set", "hpsv2:resize=antialias");
        assertEquals(Files.readString(freshAnti), Files.readString(out));
        Fixtures.Result drop = score(m, out, "hpsv2", "--set", "hpsv2:resize=antialias");
        assertEquals(2, drop.exitCode());
        assertTrue(drop.err().contains("holds pickscore scores, which this run does not compute"), drop.err());
    }

    @Test
    void retryErrorsScoresAgainARowWhoseFileNowExists() throws Exception {
        Path m = manifest(), out = dir.resolve("s.jsonl");
        assertEquals(1, score(m, out, "hpsv2").exitCode());
        Files.copy(images.resolve("rgb_640x480.jpg"), dir.resolve("missing.png"));
        Fixtures.Result again = score(m, out, "hpsv2");
        assertEquals(1, again.exitCode(), "without --retry-errors the failed row stays failed");
        assertTrue(Fixtures.jsonl(out).get(5).has("error"));
        assertEquals(0, score(m, out, "hpsv2", "--retry-errors").exitCode());
        JsonObject row = Fixtures.jsonl(out).get(5);
        assertTrue(row.has("score") && !row.has("error"), row.toString());
        assertEquals(11, Fixtures.jsonl(out).size());
    }

    @Test
    void outputEqualToInputIsRefusedAndLeavesTheManifestUntouched() throws Exception {
        Path m = manifest();
        String before = Files.readString(m);
        Fixtures.Result r = score(m, m, "hpsv2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("is the --input manifest"), r.err());
        assertEquals(before, Files.readString(m));
    }

    @Test
    void exitCodesAreZeroOneTwoAndAFailedStartLeavesNoFile() throws Exception {
        Path ok = dir.resolve("ok.jsonl");
        Files.writeString(ok, "{\"image\": \"" + images.resolve("tiny_37x53.png") + "\", \"prompt\": \"a cat\"}\n");
        assertEquals(0, score(ok, dir.resolve("a.jsonl"), "hpsv2").exitCode());
        assertEquals(1, score(manifest(), dir.resolve("b.jsonl"), "hpsv2").exitCode());
        Fixtures.Result bad = Fixtures.cliCapturingErr("score", "--metric", "hpsv2", "--model", dir.resolve("nowhere").toString(),
                "--input", ok.toString(), "--output", dir.resolve("c.jsonl").toString(), "--quiet");
        assertEquals(2, bad.exitCode(), bad.err());
        assertFalse(Files.exists(dir.resolve("c.jsonl")), "no 0-byte output after a failed start");
        assertFalse(Files.exists(dir.resolve("c.jsonl.meta.json")));
        assertEquals(2, Fixtures.cliCapturingErr().exitCode(), "palate with no command");
        assertEquals(2, Fixtures.cliCapturingErr("score", "--metric", "hpsv2").exitCode(), "usage error");
    }

    @Test
    void failOnErrorStopsAfterTheBatchOfTheFirstFailedRowAndExitsOne() throws Exception {
        Path out = dir.resolve("s.jsonl");
        Fixtures.Result r = score(manifest(), out, "hpsv2", "--fail-on-error");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(8, Fixtures.jsonl(out).size(), "batches 1 and 2 (rows 1-8, the failed row 6 in batch 2) are kept");
        assertEquals(1, score(manifest(), out, "hpsv2").exitCode());
        assertEquals(11, Fixtures.jsonl(out).size());
    }

    @Test
    void theProvenanceRecordNamesTheWeightsSizeAndSampleHashAndIsPrintedOnStderr() throws Exception {
        Path out = dir.resolve("s.jsonl");
        Fixtures.Result r = Fixtures.cliCapturingErr("score", "--metric", "hpsv2", "--model", model.toString(), "--input",
                manifest().toString(), "--output", out.toString(), "--batch-size", "4");
        JsonObject meta = JsonParser.parseString(Files.readString(dir.resolve("s.jsonl.meta.json"))).getAsJsonObject();
        assertEquals(2, meta.get("format").getAsInt());
        assertEquals(4, meta.get("batch_size").getAsInt());
        JsonObject weights = meta.getAsJsonArray("metrics").get(0).getAsJsonObject().getAsJsonObject("models").getAsJsonObject("model");
        assertEquals(model.toAbsolutePath().normalize().toString(), weights.get("path").getAsString());
        long bytes = 0;
        try (var files = Files.walk(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) bytes += Files.size(f);
        }
        assertEquals(bytes, weights.get("bytes").getAsLong());
        assertEquals(64, weights.get("sample_sha256").getAsString().length());
        assertEquals("fp32", meta.getAsJsonArray("metrics").get(0).getAsJsonObject().get("dtype").getAsString());
        assertTrue(r.err().contains("\"sample_sha256\": \"" + weights.get("sample_sha256").getAsString()), r.err());
        assertEquals(11, Files.readAllLines(out, StandardCharsets.UTF_8).size(), "the scores file stays one line per input row");
    }
}
