package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report is one self-contained file: a histogram per metric × checkpoint, the tables, nothing external. */
class HtmlReportTest {
    @Test
    void htmlHasOneSvgPerMetricAndCheckpointAndTheTablesAndNoExternalResources(@TempDir Path dir) throws Exception {
        Path in = SampleScores.writeJsonl(dir, SampleScores.images());
        Path html = dir.resolve("report.html");
        SampleScores.run("-i", in.toString(), "-o", html.toString());
        String text = Files.readString(html, StandardCharsets.UTF_8);

        assertEquals(2 * 3, count(text, "<svg "), "2 metrics × 3 checkpoints");
        for (String ck : SampleScores.CHECKPOINTS)
            assertEquals(2, count(text, "<title>" + ck + "</title>"), ck + ": one histogram per metric");
        assertEquals(1, count(text, "<table class=\"ranking\">"));
        assertEquals(2, count(text, "<table class=\"stats\">"));
        assertEquals(1, count(text, "<table class=\"prompts\">"));
        assertEquals(1, count(text, "<table class=\"winrates\">"));
        assertEquals(3 + 1, count(text.substring(text.indexOf("<table class=\"ranking\">"),
                text.indexOf("</table>", text.indexOf("<table class=\"ranking\">"))), "<tr"), "header + 3 checkpoints");
        assertTrue(text.contains("<style>"));
        assertFalse(text.contains("<script"), "no scripts");
        assertFalse(text.contains("<link"), "no linked stylesheets or fonts");
        assertFalse(text.contains("url("), "no CSS urls");
        assertFalse(text.contains("@import") || text.contains("@font-face"));
        assertFalse(Pattern.compile("(src|href)=").matcher(text).find(), "no external references");
        Matcher m = Pattern.compile("https?://[^\"\\s]+").matcher(text);
        while (m.find()) assertEquals("http://www.w3.org/2000/svg", m.group(), "only the SVG namespace URI");
        // Every bar count of a histogram sums to its n: the 19 + 20 + 20 successful images per metric.
        int bars = 0;
        Matcher b = Pattern.compile("\\]?\\)?: (\\d+)</title></rect>").matcher(text);
        while (b.find()) bars += Integer.parseInt(b.group(1));
        assertEquals(2 * 59, bars);
    }

    @Test
    void markdownHasTheRankingPerPromptAndWinRateTables(@TempDir Path dir) throws Exception {
        Path in = SampleScores.writeJsonl(dir, SampleScores.images());
        Path md = dir.resolve("report.md");
        SampleScores.run("-i", in.toString(), "-o", md.toString(), "--rank-by", "aesthetic-v2");
        String text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.contains("## Ranking by aesthetic-v2 (higher is better)"), text);
        assertTrue(text.contains("## Per prompt_id: aesthetic-v2"), text);
        assertTrue(text.contains("## Pairwise win rates (matched on prompt_id, seed)"), text);
        assertTrue(text.contains("std is the sample standard deviation (divisor n−1)"), text);
        assertTrue(text.contains("aesthetic-v2 >= 6 (default)"), text);
        assertTrue(text.contains("p1: a \"quoted\" robot reading a book"), text);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
