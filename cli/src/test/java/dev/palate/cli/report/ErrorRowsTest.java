package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.cli.report.Report.GroupStats;

/** Failed rows are counted per group and kept out of every statistic; both row shapes. */
class ErrorRowsTest {
    @Test
    void errorRowsAreCountedPerGroupAndMetricAndExcludedFromStatistics(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"image": "a1.png", "prompt": "p", "checkpoint": "A", "seed": 1, "pickscore": 20.0, "aesthetic-v2": 6.5}
                {"image": "a2.png", "prompt": "p", "checkpoint": "A", "seed": 2, "error": "cannot decode a2.png", "pickscore": null}
                {"image": "a3.png", "prompt": "p", "checkpoint": "A", "seed": 3, "pickscore": 22.0, "aesthetic-v2": 5.5}
                {"image": "a4.png", "prompt": "p", "checkpoint": "A", "seed": 4, "pickscore": 24.0, "error": "aesthetic-v2: timeout"}
                {"image": "b1.png", "prompt": "p", "checkpoint": "B", "seed": 1, "error": "CUDA out of memory"}
                {"image": "b2.png", "prompt": "p", "checkpoint": "B", "seed": 2, "error": "CUDA out of memory"}
                {"image": "b3.png", "prompt": "p", "checkpoint": "B", "seed": 3, "pickscore": NaN, "aesthetic-v2": 4.0}
                {"image": "b4.png", "prompt": "p", "checkpoint": "B", "seed": 4, "error": ""}
                """, StandardCharsets.UTF_8);
        Report r = ReportBuilder.build(in, ReportSettings.defaults());
        assertEquals(4, r.errorRows()); // an empty error string is not an error
        GroupStats aPick = stats(r, "A", "pickscore");
        assertEquals(3, aPick.summary().n()); // a4 failed for aesthetic-v2 only: its pickscore counts
        assertEquals(22.0, aPick.summary().mean(), 1e-12);
        assertEquals(1, aPick.errors());
        GroupStats aAes = stats(r, "A", "aesthetic-v2");
        assertEquals(2, aAes.summary().n());
        assertEquals(2, aAes.errors());
        assertEquals(0.5, aAes.summary().shareGood(), 1e-15); // 6.5 >= 6 (default), 5.5 not
        GroupStats bPick = stats(r, "B", "pickscore");
        assertEquals(0, bPick.summary().n());
        assertEquals(3, bPick.errors()); // two error rows + one NaN score
        assertTrue(Double.isNaN(bPick.summary().mean()));
        GroupStats bAes = stats(r, "B", "aesthetic-v2");
        assertEquals(1, bAes.summary().n());
        assertEquals(2, bAes.errors());
        // B has no pickscore data, so it is listed last and unranked.
        assertEquals("A", r.ranking().get(0).entrant());
        assertEquals(0, r.ranking().get(1).rank());
        String md = ReportFormat.MARKDOWN.render(r);
        assertTrue(md.contains("| — | B | 0 | — | — | — | — | — | — | 3 |"), md);
    }

    @Test
    void longShapeErrorsCountForTheirMetricOnly(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"image": "a1.png", "prompt": "p", "checkpoint": "A", "seed": 1, "metric": "pickscore", "score": 20.0}
                {"image": "a1.png", "prompt": "p", "checkpoint": "A", "seed": 1, "metric": "hpsv2", "score": 0.27}
                {"image": "a2.png", "prompt": "p", "checkpoint": "A", "seed": 2, "metric": "pickscore", "error": "timeout"}
                {"image": "a2.png", "prompt": "p", "checkpoint": "A", "seed": 2, "metric": "hpsv2", "score": 0.29}
                """, StandardCharsets.UTF_8);
        Report r = ReportBuilder.build(in, ReportSettings.defaults());
        assertEquals(1, stats(r, "A", "pickscore").errors());
        assertEquals(1, stats(r, "A", "pickscore").summary().n());
        assertEquals(0, stats(r, "A", "hpsv2").errors());
        assertEquals(0.28, stats(r, "A", "hpsv2").summary().mean(), 1e-12);
    }

    @Test
    void badInputsAreReportedWithFileLineAndRemedy(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, "{\"checkpoint\": \"A\", \"pickscore\": 1}\n[1, 2]\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportBuilder.build(in, ReportSettings.defaults()));
        assertTrue(e.getMessage().contains("scores.jsonl:2") && e.getMessage().contains("JSON object"), e.getMessage());

        Files.writeString(in, "{\"checkpoint\": \"A\", \"pickscore\": 1}\n", StandardCharsets.UTF_8);
        ReportSettings rankByTypo = new ReportSettings(java.util.List.of("checkpoint"), java.util.List.of(), java.util.List.of(),
                "pickscor", java.util.Set.of(), null, "seed", 0, null);
        e = assertThrows(IllegalArgumentException.class, () -> ReportBuilder.build(in, rankByTypo));
        assertTrue(e.getMessage().contains("--rank-by pickscor") && e.getMessage().contains("[pickscore]"), e.getMessage());
    }

    private static GroupStats stats(Report r, String checkpoint, String metric) {
        return r.groups().stream().filter(g -> g.key().equals(java.util.List.of(checkpoint)) && g.metric().equals(metric))
                .findFirst().orElseThrow();
    }
}
