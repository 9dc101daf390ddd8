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
        try (ResultWriter w = ResultWriter.append(out, List.of(), 0)) {
            ScoreRun.Summary s = run(List.of(new ScoreRun.Metric("fake", fake)), 4).run(rows, w, null);
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
        assertTrue(got.get(2).get("error").getAsString().contains("line 3: not JSON"), got.get(2).toString());
        assertTrue(got.get(3).get("error").getAsString().contains("missing.png"), got.get(3).toString());
        assertTrue(got.get(4).get("error").getAsString().contains("fake: no prompt for " + dir.resolve("b.png") + " (" + m + " line 5 has no \"prompt\""),
                got.get(4).toString());
        assertFalse(got.get(5).has("error"));
        assertEquals(FakeScorer.expected(5, 3, "bird", true), got.get(5).get("score").getAsFloat(), 0f);
    }

    @Test
    void severalMetricsDecodeEachImageOncePrepareItInTheBackgroundAndGetOneColumnEach() throws Exception {
        image("a.png", 4, 3);
        Path m = manifest("{\"image\": \"a.png\", \"prompt\": \"cat\"}", "{\"image\": \"a.png\", \"prompt\": \"owl\"}");
        FakeScorer text = new FakeScorer("t", true, null), plain = new FakeScorer("p", false, null);
        Path out = dir.resolve("out.jsonl");
        try (ResultWriter w = ResultWriter.append(out, List.of(), 0)) {
            run(List.of(new ScoreRun.Metric("t", text), new ScoreRun.Metric("p", plain)), 8).run(ManifestReader.read(m), w, null);
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
        try (ResultWriter w = ResultWriter.append(out, List.of(), 0)) {
            run(List.of(new ScoreRun.Metric("f", new FakeScorer("f", true, "boom"))), 8).run(ManifestReader.read(m), w, null);
        }
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).contains("\"score\""));
        assertTrue(lines.get(1).contains("model refused prompt boom"), lines.get(1));
        assertTrue(lines.get(2).contains("\"score\""));
    }

    @Test
    void aNanScoreIsThatRowsErrorNamingTheMetricNotASilentGap() throws Exception {
        image("a.png", 4, 3);
        Path m = manifest("{\"image\": \"a.png\", \"prompt\": \"nan\"}", "{\"image\": \"a.png\", \"prompt\": \"ok\"}");
        Path out = dir.resolve("out.jsonl");
        FakeScorer nan = new FakeScorer("f", true, null).nanOnPrompt("nan");
        ScoreRun.Summary s;
        try (ResultWriter w = ResultWriter.append(out, List.of(), 0)) {
            s = run(List.of(new ScoreRun.Metric("f", nan)), 8).run(ManifestReader.read(m), w, null);
        }
        assertEquals(1, s.failed());
        List<JsonObject> got = Files.readAllLines(out).stream().map(ScoreRunTest::json).toList();
        assertFalse(got.get(0).has("score"));
        assertTrue(got.get(0).get("error").getAsString().startsWith("f returned NaN for this image"), got.get(0).toString());
        assertTrue(got.get(1).has("score") && !got.get(1).has("error"));
    }

    @Test
    void csvManifestWithQuotedNewlinesQuotesAndABomRoundTripsOneRowPerRecord() throws Exception {
        image("a.png", 4, 3);
        Path m = dir.resolve("m.csv");
        // what Python's csv module and Excel write: a BOM, CRLF, a prompt with a line break and doubled quotes
        Files.writeString(m, "\uFEFFimage,prompt,checkpoint\r\na.png,\"a cat,\r\non two lines, \"\"fluffy\"\"\",ck2\r\na.png,plain,ck3\r\n");
        List<InputRow> rows = ManifestReader.read(m);
        assertEquals(2, rows.size(), rows.toString());
        assertEquals("a cat,\r\non two lines, \"fluffy\"", rows.get(0).prompt());
        assertEquals("ck2", rows.get(0).fields().get("checkpoint"));
        assertEquals(List.of("image", "prompt", "checkpoint"), List.copyOf(rows.get(0).fields().keySet()));
        assertEquals(m + " line 4", rows.get(1).source());
        Path out = dir.resolve("o.csv");
        RowLayout layout = new RowLayout(List.of("f"));
        try (ResultWriter w = ResultWriter.append(out, layout.csvColumns(rows), 0)) {
            run(List.of(new ScoreRun.Metric("f", new FakeScorer("f", true, null))), 3).run(rows, w, null);
        }
        List<Csv.Record> back = Csv.parse(Files.readString(out));
        assertEquals(3, back.size());
        assertEquals(List.of("image", "prompt", "checkpoint", "metric", "score", "error"), back.get(0).cells());
        assertEquals("a cat,\r\non two lines, \"fluffy\"", back.get(1).cells().get(1)); // the line break is kept, not flattened
        assertEquals(Float.toString(FakeScorer.expected(4, 3, rows.get(0).prompt(), true)), back.get(1).cells().get(4));
    }

    @Test
    void malformedCsvRowsAreErrorsNamingTheirLineAndTheRowsAfterThemAreRead() throws Exception {
        Path m = dir.resolve("m.csv");
        Files.writeString(m, "image,prompt\n"
                + "a.png,one\n"
                + "b.png,two,extra\n"       // line 3: a field too many
                + "c.png\n"                  // line 4: a field short
                + "d.png,\"x\"y\n"           // line 5: text after a closing quote
                + "e.png,five\n"
                + "f.png,\"never closed\n"   // line 7: the rest of the file is inside this quote
                + "g.png,seven\n");
        List<InputRow> rows = ManifestReader.read(m);
        assertEquals(List.of("a.png", "e.png"), rows.stream().filter(r -> r.error() == null).map(r -> r.image().getFileName().toString()).toList());
        assertEquals(6, rows.size(), rows.toString());
        assertEquals(m + " line 3: 3 fields but the header has 2 (image,prompt); quote fields that contain commas or line breaks", rows.get(1).error());
        assertEquals(m + " line 4: 1 fields but the header has 2 (image,prompt); quote fields that contain commas or line breaks", rows.get(2).error());
        assertTrue(rows.get(3).error().startsWith(m + " line 5: malformed CSV on line 5: text after a closing quote"), rows.get(3).error());
        assertTrue(rows.get(5).error().startsWith(m + " line 7: a quoted field opened on line 7 is never closed"), rows.get(5).error());
        assertEquals(3, rows.get(1).fields().get("line"));
    }

    @Test
    void invalidUtf8OnOneLineIsThatRowsErrorNamingFileLineAndByte() throws Exception {
        image("a.png", 4, 3);
        Path m = dir.resolve("m.jsonl");
        byte[] bad = "{\"image\": \"a.png\", \"prompt\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1); // Latin-1 é
        Files.write(m, concat("{\"image\": \"a.png\", \"prompt\": \"one\"}\n".getBytes(StandardCharsets.UTF_8), bad,
                "{\"image\": \"a.png\", \"prompt\": \"three\"}\n".getBytes(StandardCharsets.UTF_8)));
        List<InputRow> rows = ManifestReader.read(m);
        assertEquals(3, rows.size());
        assertEquals(m + " line 2: not UTF-8 text (byte 0xE9 at column 34 is not UTF-8); save the manifest as UTF-8", rows.get(1).error());
        assertEquals("three", rows.get(2).prompt());
        Path csv = dir.resolve("m.csv");
        Files.write(csv, concat("image,prompt\na.png,one\n".getBytes(StandardCharsets.UTF_8), "a.png,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)));
        List<InputRow> csvRows = ManifestReader.read(csv);
        assertEquals(csv + " line 3: not UTF-8 text (line 3: byte 0xE9 at column 10 is not UTF-8); save the manifest as UTF-8", csvRows.get(1).error());
    }

    @Test
    void rowMessagesNameTheFileLineAndField() throws Exception {
        Path m = manifest("{\"image\": 123, \"prompt\": \"x\"}", "[1, 2]", "{\"prompt\": \"p\"}", "{\"image\": \"a.png\", \"prompt\": [\"x\"]}");
        List<InputRow> rows = ManifestReader.read(m);
        assertEquals(m + " line 1: \"image\" must be a path (a string), found 123", rows.get(0).error());
        assertEquals(m + " line 2: expected a JSON object such as {\"image\": \"a.png\", \"prompt\": \"...\"}, found an array", rows.get(1).error());
        assertEquals(m + " line 3: no \"image\" field (each row needs \"image\": PATH)", rows.get(2).error());
        assertEquals(m + " line 4: \"prompt\" must be text (a string), found [\"x\"]", rows.get(3).error());
    }

    @Test
    void aPromptsCsvWithFileNameWorksAndABadEntryDoesNotStopImageOnlyMetrics() throws Exception {
        image("a.png", 4, 3);
        image("b.png", 5, 3);
        Files.writeString(dir.resolve("prompts.csv"), "file_name,prompt,seed\na.png,a cat,1\n,orphan,2\n");
        List<String> warnings = new java.util.ArrayList<>();
        List<InputRow> rows = FolderInput.read(dir, null, warnings::add);
        assertEquals(2, rows.size());
        assertEquals("a cat", rows.get(0).prompt());
        assertEquals("1", rows.get(0).fields().get("seed"));
        assertFalse(rows.get(0).fields().containsKey("file_name"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("prompts.csv line 3"), warnings.toString());
        Path out = dir.resolve("out.jsonl");
        try (ResultWriter w = ResultWriter.append(out, List.of(), 0)) {
            assertEquals(0, run(List.of(new ScoreRun.Metric("p", new FakeScorer("p", false, null))), 4).run(rows, w, null).failed());
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static ScoreRun run(List<ScoreRun.Metric> metrics, int batch) {
        return new ScoreRun(metrics, batch, ScoreRun.Decoding.defaults(), false);
    }
}
