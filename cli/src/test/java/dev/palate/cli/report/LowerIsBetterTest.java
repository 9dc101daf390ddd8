package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lower-is-better metrics rank ascending, and --good METRIC<=X counts scores at or under X. */
class LowerIsBetterTest {
    @Test
    void styleLossRanksAscendingAndGoodAtMostCountsScoresUnderTheThreshold(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scores.jsonl");
        Files.writeString(in, """
                {"checkpoint": "A", "prompt": "p", "seed": 1, "style-loss": 0.030, "my-distance": 3}
                {"checkpoint": "A", "prompt": "p", "seed": 2, "style-loss": 0.010, "my-distance": 1}
                {"checkpoint": "B", "prompt": "p", "seed": 1, "style-loss": 0.020, "my-distance": 2}
                {"checkpoint": "B", "prompt": "p", "seed": 2, "style-loss": 0.005, "my-distance": 2}
                """, StandardCharsets.UTF_8);
        Path csv = dir.resolve("r.csv");
        SampleScores.run("-i", in.toString(), "--good", "style-loss<=0.02", "--lower-better", "my-distance", "-o", csv.toString());
        Map<String, String> r = SampleScores.readReportCsv(csv);
        // Means: A 0.020, B 0.0125 → B first.
        assertEquals("1", r.get("ranking|checkpoint=B|style-loss|rank"));
        assertEquals("2", r.get("ranking|checkpoint=A|style-loss|rank"));
        assertEquals("0.5", r.get("stats|checkpoint=A|style-loss|share_good")); // 0.010 only
        assertEquals("1.0", r.get("stats|checkpoint=B|style-loss|share_good")); // 0.020 (equal counts) and 0.005
        // Pairs (B first): seed 1 B 0.020 < A 0.030 → B wins; seed 2 A 0.010 > B 0.005 → B wins.
        assertEquals("1.0", r.get("winrate|checkpoint=B vs checkpoint=A|style-loss|win_rate_a"));
        // my-distance made lower-is-better by option: seed 1 B 2 < A 3 B wins; seed 2 A 1 < B 2 A wins.
        assertEquals("0.5", r.get("winrate|checkpoint=B vs checkpoint=A|my-distance|win_rate_a"));
    }
}
