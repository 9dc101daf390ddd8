package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV input and the metric/score row shape give the same report as wide JSONL. */
class InputShapesTest {
    @Test
    void csvInputGivesTheSameStatisticsAsJsonl(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path jsonl = SampleScores.writeJsonl(dir, images);
        Path csv = SampleScores.writeCsv(dir, images);
        ScoreTable table = ScoresReader.read(csv, List.of(), List.of());
        assertEquals(List.of("pickscore", "aesthetic-v2"), table.metrics()); // seed is an input field, not a metric
        assertEquals("a \"quoted\" robot reading a book, v2", table.rows().get(4).field("prompt"));
        assertEquals("CUDA out of memory", table.rows().stream().filter(ScoreRow::failed).findFirst().orElseThrow().error());

        Path fromJsonl = dir.resolve("from-jsonl.csv");
        Path fromCsv = dir.resolve("from-csv.csv");
        SampleScores.run("-i", jsonl.toString(), "-o", fromJsonl.toString());
        SampleScores.run("-i", csv.toString(), "-o", fromCsv.toString());
        assertEquals(SampleScores.readReportCsv(fromJsonl), SampleScores.readReportCsv(fromCsv));
    }

    @Test
    void metricAndScoreRowsGiveTheSameStatisticsAsWideRows(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path wide = SampleScores.writeJsonl(dir, images);
        StringBuilder sb = new StringBuilder();
        for (SampleScores.Image i : images)
            for (String metric : List.of("pickscore", "aesthetic-v2")) {
                sb.append(String.format(Locale.ROOT, "{\"image\": \"%s_%d.png\", \"prompt_id\": \"%s\", \"checkpoint\": \"%s\","
                        + " \"seed\": %d, \"metric\": \"%s\"", i.promptId(), i.seed(), i.promptId(), i.checkpoint(), i.seed(), metric));
                if (i.error() != null) sb.append(", \"error\": \"").append(i.error()).append("\"}\n");
                else sb.append(", \"score\": ").append(metric.equals("pickscore") ? i.pickscore() : i.aesthetic()).append("}\n");
            }
        Path longShape = dir.resolve("long.jsonl");
        Files.writeString(longShape, sb.toString(), StandardCharsets.UTF_8);
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        SampleScores.run("-i", wide.toString(), "-o", a.toString());
        SampleScores.run("-i", longShape.toString(), "-o", b.toString());
        assertEquals(SampleScores.readReportCsv(a), SampleScores.readReportCsv(b));
    }

    @Test
    void explicitMetricOptionRestrictsTheReportAndDetectionSkipsInputFields(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"image": "x.png", "prompt": "p", "prompt_id": 3, "checkpoint": "A", "seed": 7, "step": 1000, "pickscore": 21, "hpsv2": 0.3}
                """, StandardCharsets.UTF_8);
        assertEquals(List.of("pickscore", "hpsv2"), ScoresReader.read(in, List.of(), List.of()).metrics());
        assertEquals(List.of("hpsv2"), ScoresReader.read(in, List.of("hpsv2"), List.of()).metrics());
        String out = SampleScores.run("-i", in.toString(), "--metric", "hpsv2");
        assertTrue(out.contains("metrics hpsv2"), out);
    }
}
