package dev.palate.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class ScoreRunTest {
    @TempDir Path dir;

    private static JsonObject json(String line) {
        return JsonParser.parseString(line).getAsJsonObject();
    }

    private Path image(String name, int w, int h) {
        Path p = dir.resolve(name);
        try (Mat m = new Mat(h, w, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(10, 20, 30, 0))) {
            opencv_imgcodecs.imwrite(p.toString(), m);
        }
        return p;
    }

    private Path manifest(String... lines) throws Exception {
        Path m = dir.resolve("manifest.jsonl");
        Files.write(m, List.of(lines), StandardCharsets.UTF_8);
        return m;
    }

    @Test
    void rowsComeOutInInputOrderWithFieldsCarriedAndBadRowsFailAlone() throws Exception {
        image("a.png", 4, 3);
        image("b.png", 5, 3);
        Files.writeString(dir.resolve("broken.png"), "not a png");
        Path m = manifest(
                "{\"image\": \"a.png\", \"prompt\": \"cat\", \"checkpoint\": \"ck1\", \"seed\": 7}",
                "{\"image\": \"broken.png\", \"prompt\": \"dog\"}",
                "this line is not json",
                "{\"image\": \"missing.png\", \"prompt\": \"cow\"}",
                "{\"image\": \"b.png\"}",
                "{\"image\": \"b.png\", \"prompt\": \"bird\"}");
        FakeScorer fake = new FakeScorer("fake", true, null);
        Path out = dir.resolve("out.jsonl");
        List<InputRow> rows = ManifestReader.read(m);
        try (ResultWriter w = ResultWriter.open(out, List.of())) {
            ScoreRun.Summary s = new ScoreRun(List.of(new ScoreRun.Metric("fake", fake)), 4, w).run(rows, null);
            assertEquals(2, s.scored());
            assertEquals(4, s.failed());
        }
        List<JsonObject> got = Files.readAllLines(out).stream().map(ScoreRunTest::json).toList();
        assertEquals(6, got.size());
        assertEquals("a.png", got.get(0).get("image").getAsString());
        assertEquals("ck1", got.get(0).get("checkpoint").getAsString());
        assertEquals(7, got.get(0).get("seed").getAsInt());
        assertEquals("fake", got.get(0).get("metric").getAsString());
        assertEquals(FakeScorer.expected(4, 3, "cat", true), got.get(0).get("score").getAsFloat(), 0f);
        assertTrue(got.get(1).get("error").getAsString().contains("broken.png"), got.get(1).toString());
        assertTrue(got.get(2).get("error").getAsString().contains("line 3"), got.get(2).toString());
        assertTrue(got.get(3).get("error").getAsString().contains("missing.png"), got.get(3).toString());
        assertTrue(got.get(4).get("error").getAsString().contains("no prompt"), got.get(4).toString());
        assertFalse(got.get(5).has("error"));
        assertEquals(FakeScorer.expected(5, 3, "bird", true), got.get(5).get("score").getAsFloat(), 0f);
    }

    @Test
    void severalMetricsDecodeEachImageOncePrepareItInTheBackgroundAndGetOneColumnEach() throws Exception {
        image("a.png", 4, 3);
        Path m = manifest("{\"image\": \"a.png\", \"prompt\": \"cat\"}", "{\"image\": \"a.png\", \"prompt\": \"owl\"}");
        FakeScorer text = new FakeScorer("t", true, null), plain = new FakeScorer("p", false, null);
        Path out = dir.resolve("out.jsonl");
        try (ResultWriter w = ResultWriter.open(out, List.of())) {
            new ScoreRun(List.of(new ScoreRun.Metric("t", text), new ScoreRun.Metric("p", plain)), 8, w)
                    .run(ManifestReader.read(m), null);
        }
        JsonObject row = json(Files.readAllLines(out).get(1));
        assertEquals(FakeScorer.expected(4, 3, "owl", true), row.get("t").getAsFloat(), 0f);
        assertEquals(FakeScorer.expected(4, 3, "", false), row.get("p").getAsFloat(), 0f);
        assertFalse(row.has("metric"));
        assertEquals(1, text.calls.get());
        assertEquals(1, plain.calls.get());
        // the batch was decoded and handed to each metric's prepare() on the background thread
        assertEquals(java.util.Set.of("palate-decode"), text.preparedOnThreads);
        assertEquals(2, text.preparedImages.get());
        assertEquals(2, plain.preparedImages.get());
    }

    @Test
    void aModelErrorOnOneRowIsIsolatedToThatRow() throws Exception {
        image("a.png", 4, 3);
        Path m = manifest("{\"image\": \"a.png\", \"prompt\": \"ok\"}", "{\"image\": \"a.png\", \"prompt\": \"boom\"}",
                "{\"image\": \"a.png\", \"prompt\": \"fine\"}");
        Path out = dir.resolve("out.jsonl");
        try (ResultWriter w = ResultWriter.open(out, List.of())) {
            new ScoreRun(List.of(new ScoreRun.Metric("f", new FakeScorer("f", true, "boom"))), 8, w).run(ManifestReader.read(m), null);
        }
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).contains("\"score\""));
        assertTrue(lines.get(1).contains("model refused prompt boom"), lines.get(1));
        assertTrue(lines.get(2).contains("\"score\""));
    }

    @Test
    void rerunAfterACutOffWriteResumesToTheSameFile() throws Exception {
        for (int i = 0; i < 7; i++) image("img" + i + ".png", 3 + i, 2);
        Files.writeString(dir.resolve("prompts.jsonl"), "{\"file\": \"img3.png\", \"prompt\": \"special\", \"seed\": 3}\n");
        List<InputRow> rows = FolderInput.read(dir, "default prompt");
        assertEquals(7, rows.size());
        assertEquals("special", rows.get(3).prompt());
        assertEquals(3L, rows.get(3).fields().get("seed"));

        for (String ext : new String[] {"jsonl", "csv"}) {
            Path full = dir.resolve("full." + ext), resumed = dir.resolve("resumed." + ext);
            List<String> columns = ResultWriter.csvColumns(rows, List.of("metric", "score"));
            try (ResultWriter w = ResultWriter.open(full, columns)) {
                new ScoreRun(List.of(new ScoreRun.Metric("f", new FakeScorer("f", true, null))), 3, w).run(rows, null);
            }
            // an interrupted run: the first 4 rows and half of the 5th line
            List<String> fullLines = Files.readAllLines(full);
            int header = ext.equals("csv") ? 1 : 0;
            String partial = String.join("\n", fullLines.subList(0, header + 4)) + "\n" + fullLines.get(header + 4).substring(0, 5);
            Files.writeString(resumed, partial);
            FakeScorer second = new FakeScorer("f", true, null);
            try (ResultWriter w = ResultWriter.open(resumed, columns)) {
                ScoreRun run = new ScoreRun(List.of(new ScoreRun.Metric("f", second)), 3, w);
                assertEquals(3, run.pending(rows).size());
                assertEquals(4, run.run(rows, null).skipped());
            }
            assertEquals(Files.readString(full), Files.readString(resumed), ext);
        }
    }

    @Test
    void csvManifestAndQuotingRoundTrip() throws Exception {
        image("a.png", 4, 3);
        Path m = dir.resolve("m.csv");
        Files.writeString(m, "image,prompt,checkpoint\na.png,\"a cat, \"\"fluffy\"\"\",ck2\n");
        List<InputRow> rows = ManifestReader.read(m);
        assertEquals("a cat, \"fluffy\"", rows.get(0).prompt());
        Path out = dir.resolve("o.csv");
        try (ResultWriter w = ResultWriter.open(out, ResultWriter.csvColumns(rows, List.of("metric", "score")))) {
            new ScoreRun(List.of(new ScoreRun.Metric("f", new FakeScorer("f", true, null))), 3, w).run(rows, null);
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals("image,prompt,checkpoint,metric,score,error", lines.get(0));
        Map<String, String> row = Map.of("image", Csv.parseLine(lines.get(1)).get(0), "prompt", Csv.parseLine(lines.get(1)).get(1));
        assertEquals("a cat, \"fluffy\"", row.get("prompt"));
    }
}
