package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.cli.report.Report.WinRate;

/** Pairing on (prompt, seed): ties count half, unmatched and failed rows are counted but not used. */
class PairwiseWinRateTest {
    // A and B over prompts p1/p2. Hand tally for pickscore (higher better):
    //   (p1,0) A 1.0 > B 0.5  A wins      (p1,1) 2.0 = 2.0  tie      (p1,2) 1.0 < 3.0  B wins
    //   (p2,0) A 5 > B 4      A wins      (p2,1) B failed  → A unmatched   (p2,2) A only → A unmatched
    //   (p2,3) B only → B unmatched       A row without seed → not pairable
    //   pairs 4, A wins 2, B wins 1, ties 1 → rate (2 + 0.5) / 4 = 0.625, Wilson 95% [0.219427, 0.908101]
    //   unmatched: A has 6 keyed scores (p2,1 and p2,2 unmatched), B has 5 (p2,3 unmatched) → 2 / 1
    // style-loss (lower is better) on the same 4 pairs: (p1,0) .30 vs .20 B wins, (p1,1) tie, (p1,2) .10 vs .50 A wins,
    //   (p2,0) .40 vs .30 B wins → A wins 1, B wins 2, ties 1 → rate 1.5 / 4 = 0.375, Wilson 95% [0.091899, 0.780573]
    private static final String ROWS = """
            {"checkpoint": "A", "prompt": "p1", "seed": 0, "pickscore": 1.0, "style-loss": 0.30}
            {"checkpoint": "B", "prompt": "p1", "seed": 0, "pickscore": 0.5, "style-loss": 0.20}
            {"checkpoint": "A", "prompt": "p1", "seed": 1, "pickscore": 2.0, "style-loss": 0.10}
            {"checkpoint": "B", "prompt": "p1", "seed": 1, "pickscore": 2.0, "style-loss": 0.10}
            {"checkpoint": "A", "prompt": "p1", "seed": 2, "pickscore": 1.0, "style-loss": 0.10}
            {"checkpoint": "B", "prompt": "p1", "seed": 2, "pickscore": 3.0, "style-loss": 0.50}
            {"checkpoint": "A", "prompt": "p2", "seed": 0, "pickscore": 5.0, "style-loss": 0.40}
            {"checkpoint": "B", "prompt": "p2", "seed": 0, "pickscore": 4.0, "style-loss": 0.30}
            {"checkpoint": "A", "prompt": "p2", "seed": 1, "pickscore": 3.0, "style-loss": 0.30}
            {"checkpoint": "B", "prompt": "p2", "seed": 1, "error": "image not found: out/b/p2_1.png"}
            {"checkpoint": "A", "prompt": "p2", "seed": 2, "pickscore": 9.0, "style-loss": 0.30}
            {"checkpoint": "B", "prompt": "p2", "seed": 3, "pickscore": 9.0, "style-loss": 0.30}
            {"checkpoint": "A", "prompt": "p2", "pickscore": 9.0, "style-loss": 0.30}
            """;

    @Test
    void winRatesCountTiesAsHalfAndSkipUnmatchedAndFailedRows(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, ROWS, StandardCharsets.UTF_8);
        ReportSettings settings = new ReportSettings(List.of("checkpoint"), List.of(), List.of(), null, Set.of(), null,
                "seed", 0, null);
        Report r = ReportBuilder.build(in, settings);

        // Ranking by pickscore mean: A (1+2+1+5+3+9+9)/7 = 4.2857 > B (0.5+2+3+4+9)/5 = 3.7, so A is side A.
        WinRate pick = find(r, "pickscore");
        assertEquals("A", pick.a());
        assertEquals(4, pick.pairs());
        assertEquals(2, pick.winsA());
        assertEquals(1, pick.winsB());
        assertEquals(1, pick.ties());
        assertEquals(2, pick.onlyA());
        assertEquals(1, pick.onlyB());
        assertEquals(0.625, pick.rateA(), 1e-15);
        assertEquals(0.21942652006536284, pick.ciLow(), 1e-12);
        assertEquals(0.9081007708209878, pick.ciHigh(), 1e-12);

        WinRate style = find(r, "style-loss");
        assertEquals("A", style.a()); // pairs follow the ranking order of the rank metric
        assertEquals(4, style.pairs());
        assertEquals(1, style.winsA());
        assertEquals(2, style.winsB());
        assertEquals(1, style.ties());
        assertEquals(0.375, style.rateA(), 1e-15);
        assertEquals(0.09189922917901217, style.ciLow(), 1e-12);
        assertEquals(0.7805734799346372, style.ciHigh(), 1e-12);

        assertTrue(r.notes().stream().anyMatch(n -> n.contains("1 scored rows lack prompt or seed")), r.notes().toString());
        String md = ReportFormat.MARKDOWN.render(r);
        assertTrue(md.contains("| pickscore | A | B | 4 | 2 | 1 | 1 | 0.6250 | [0.2194, 0.9081] | 2 / 1 |"), md);
    }

    @Test
    void repeatedImagesOfOneCheckpointPromptAndSeedAreAveragedBeforePairing(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"checkpoint": "A", "prompt": "p", "seed": 1, "pickscore": 1.0}
                {"checkpoint": "A", "prompt": "p", "seed": 1, "pickscore": 3.0}
                {"checkpoint": "B", "prompt": "p", "seed": 1, "pickscore": 2.0}
                """, StandardCharsets.UTF_8);
        Report r = ReportBuilder.build(in, ReportSettings.defaults());
        WinRate w = find(r, "pickscore");
        assertEquals(1, w.pairs());
        assertEquals(1, w.ties()); // mean(1, 3) = 2 ties with 2
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("averaged")), r.notes().toString());
    }

    private static WinRate find(Report r, String metric) {
        return r.winRates().stream().filter(w -> w.metric().equals(metric)).findFirst().orElseThrow();
    }
}
