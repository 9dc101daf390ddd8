package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import picocli.CommandLine;

/** {@code --set METRIC:KEY=VALUE}: listed by {@code palate metrics}, checked before loading, kept apart on resume and in the report. */
class MetricOptionsCliTest {
    @TempDir Path dir;

    private final Path model = Fixtures.ROOT.resolve("clip/clip-tiny-gelu");

    @Test
    void metricsListsEachOptionWithItsValuesAndDefault() {
        StringWriter out = new StringWriter();
        CommandLine cl = PalateCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("metrics"));
        String text = out.toString();
        assertTrue(text.contains("option --set hpsv2:resize=legacy|antialias (default legacy): legacy = "), text);
        assertTrue(text.contains("option --set hpsv2.1:resize=legacy|antialias (default legacy)"), text);
        assertFalse(text.contains("option --set pickscore:"), text);
    }

    @Test
    void aValueTheMetricDoesNotAllowStopsTheRunBeforeAnyRowListingTheAllowedOnes() throws Exception {
        Fixtures.Result r = score("hpsv2", "--set", "hpsv2:resize=bilinear");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("hpsv2: resize=bilinear is not allowed: use resize=legacy|antialias (default legacy)"), r.err());
        assertFalse(Files.exists(dir.resolve("s.jsonl")), "nothing should be written");
    }

    @Test
    void anUnknownKeyAMetricOutsideTheRunAndAMalformedSetAreErrorsSayingWhatToDo() throws Exception {
        Fixtures.Result key = score("hpsv2", "--set", "hpsv2:size=336");
        assertEquals(2, key.exitCode());
        assertTrue(key.err().contains("hpsv2 has no option 'size': its options are resize=legacy|antialias (default legacy)"), key.err());
        Fixtures.Result other = score("hpsv2", "--set", "hpsv2.1:resize=antialias");
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("metric 'hpsv2.1' is not among [hpsv2]"), other.err());
        Fixtures.Result bare = score("hpsv2", "--set", "resize=antialias");
        assertEquals(2, bare.exitCode());
        assertTrue(bare.err().contains("expected --set METRIC:KEY=VALUE"), bare.err());
        Fixtures.Result twice = score("hpsv2", "--set", "hpsv2:resize=antialias", "--set", "hpsv2:resize=legacy");
        assertEquals(2, twice.exitCode());
        assertTrue(twice.err().contains("hpsv2:resize is given twice"), twice.err());
    }

    @Test
    void resumingWithOtherOptionsRescoresTheEarlierRowsAndWithTheSameOptionsAddsARun() throws Exception {
        assertEquals(0, score("hpsv2", "--set", "hpsv2:resize=antialias").exitCode());
        String antialias = Files.readString(dir.resolve("s.jsonl"));
        Fixtures.Result legacy = score("hpsv2");
        assertEquals(0, legacy.exitCode(), legacy.err());
        assertTrue(legacy.err().contains("hpsv2 was scored differently (options resize=antialias -> resize=legacy)"), legacy.err());
        assertFalse(antialias.equals(Files.readString(dir.resolve("s.jsonl"))), "the earlier row was scored again");
        assertEquals(0, score("hpsv2", "--set", "hpsv2:resize=antialias").exitCode());
        assertEquals(antialias, Files.readString(dir.resolve("s.jsonl")));
        Files.writeString(manifest(), "{\"image\": \"" + Fixtures.ROOT.resolve("clip/images/tiny_37x53.png") + "\", \"prompt\": \"a dog\"}\n",
                StandardOpenOption.APPEND);
        assertEquals(0, score("hpsv2", "--set", "hpsv2:resize=antialias").exitCode());
        assertEquals(2, Fixtures.jsonl(dir.resolve("s.jsonl")).size());
        JsonObject meta = JsonParser.parseString(Files.readString(dir.resolve("s.jsonl.meta.json"))).getAsJsonObject();
        assertEquals(4, meta.getAsJsonArray("runs").size(), meta.toString());
        assertEquals("{\"resize\":\"antialias\"}", meta.getAsJsonArray("metrics").get(0).getAsJsonObject().get("options").toString());
        // every row is now antialias: the report's check accepts the file
        dev.palate.cli.run.RunProvenance.requireSameOptions(List.of(dir.resolve("s.jsonl")));
    }

    @Test
    void reportRefusesAScoresFileWhoseRunsScoredOneMetricWithDifferentOptions() throws Exception {
        Path scores = dir.resolve("mixed.jsonl");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 4; i++)
            rows.append("{\"image\": \"i").append(i).append(".png\", \"prompt\": \"p\", \"checkpoint\": \"c").append(i % 2)
                    .append("\", \"metric\": \"hpsv2\", \"score\": 0.2").append(i).append("}\n");
        Files.writeString(scores, rows);
        Fixtures.Result plain = report(scores);
        assertEquals(0, plain.exitCode(), "a scores file without a meta file is reported as before: " + plain.err());
        Files.writeString(dir.resolve("mixed.jsonl.meta.json"), """
                {"format": 1, "runs": [
                  {"started": "2026-12-01T10:00:00Z", "metrics": [{"name": "hpsv2", "options": {"resize": "legacy"}, "models": {}, "device": "cpu", "dtype": "fp32"}]},
                  {"started": "2026-12-02T10:00:00Z", "metrics": [{"name": "hpsv2", "options": {"resize": "antialias"}, "models": {}, "device": "cpu", "dtype": "fp32"}]}]}
                """);
        Fixtures.Result mixed = report(scores);
        assertEquals(2, mixed.exitCode());
        assertTrue(mixed.err().contains("the hpsv2 scores were made with different options: resize=legacy in mixed.jsonl.meta.json"
                + " (run of 2026-12-01T10:00:00Z), resize=antialias in mixed.jsonl.meta.json (run of 2026-12-02T10:00:00Z)"), mixed.err());
    }

    private Path manifest() {
        return dir.resolve("m.jsonl");
    }

    private Fixtures.Result score(String metric, String... extra) throws Exception {
        if (!Files.exists(manifest()))
            Files.writeString(manifest(), "{\"image\": \"" + Fixtures.ROOT.resolve("clip/images/rgb_640x480.jpg") + "\", \"prompt\": \"a cat\"}\n");
        List<String> args = new ArrayList<>(List.of("score", "--metric", metric, "--model", model.toString(),
                "--input", manifest().toString(), "--output", dir.resolve("s.jsonl").toString(), "--quiet"));
        args.addAll(List.of(extra));
        return Fixtures.cliCapturingErr(args.toArray(String[]::new));
    }

    private static Fixtures.Result report(Path scores) {
        StringWriter err = new StringWriter();
        CommandLine cl = PalateCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return new Fixtures.Result(cl.execute("report", "--input", scores.toString()), err.toString());
    }
}
