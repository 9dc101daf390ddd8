package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.cli.report.Report.WinRate;

/** Last-digit noise of batched float sums is not a win: the same images under two checkpoint names tie. */
class TieToleranceTest {
    @Test
    void tenIdenticalImagesLabelledAsTwoCheckpointsTieEverywhereAndNoneIsMarkedWorst(@TempDir Path dir) throws Exception {
        // the same 10 (prompt, seed) images, scored in different batch positions: 0.120065294 vs 0.12006546 and the like
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            double v = 0.12 + 0.01 * (i % 3);
            double noise = (i % 2 == 0 ? 1 : -1) * 1.7e-7 * (1 + i % 4);
            rows.append(String.format("{\"checkpoint\": \"A\", \"prompt\": \"p%d\", \"seed\": %d, \"hpsv2\": %.9f}%n", i % 5, i, v));
            rows.append(String.format("{\"checkpoint\": \"B\", \"prompt\": \"p%d\", \"seed\": %d, \"hpsv2\": %.9f}%n", i % 5, i, v + noise));
        }
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, rows);
        Report r = ReportBuilder.build(in, new ReportSettings(List.of("checkpoint"), List.of(), List.of(), null, Set.of(), null,
                "seed", 0, null));
        WinRate w = r.winRates().get(0);
        assertEquals(10, w.pairs());
        assertEquals(10, w.ties(), "exact comparison counted " + w.winsA() + " wins for A and " + w.winsB() + " for B");
        assertEquals(0.5, w.rateA(), 0);
        for (Report.PromptCell c : r.promptCells()) {
            assertFalse(c.worst(), c.toString());
            assertFalse(c.belowMean(), c.toString());
        }
        assertTrue(Definitions.lines(r).stream().anyMatch(l -> l.contains("a tie being |A − B| ≤ 1e-5 × the largest |score|")));
    }

    @Test
    void aRealDifferenceAboveTheToleranceIsStillAWin(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"checkpoint": "A", "prompt": "p", "seed": 0, "hpsv2": 0.2500}
                {"checkpoint": "B", "prompt": "p", "seed": 0, "hpsv2": 0.2499}
                """);
        Report r = ReportBuilder.build(in, new ReportSettings(List.of("checkpoint"), List.of(), List.of(), null, Set.of(), null,
                "seed", 0, null));
        assertEquals(1, r.winRates().get(0).winsA());
        assertTrue(r.promptCells().stream().anyMatch(Report.PromptCell::worst));
    }
}
