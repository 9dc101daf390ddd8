package dev.palate.cli.report;

import java.util.List;
import java.util.Map;

/** Everything the writers print; computed once by {@link ReportBuilder}. */
public record Report(
        ScoreTable table,
        String title,
        List<String> byFields,
        String entrantField,          // the first --by field: what is ranked and compared pairwise
        String promptField,           // null when the file has no prompt field
        String seedField,
        List<MetricSpec> metrics,
        MetricSpec rankMetric,
        List<String> entrants,        // values of entrantField, first-appearance order
        List<GroupStats> groups,      // per --by group and metric
        List<RankEntry> ranking,      // entrants ordered by the rank metric's mean, best first
        List<String> prompts,
        Map<String, String> promptText,
        List<PromptCell> promptCells, // per entrant × prompt, rank metric
        List<WinRate> winRates,       // per metric and entrant pair (ranking order)
        Map<String, Map<String, double[]>> values, // metric → entrant → successful scores, for histograms
        int bins,
        int errorRows,
        List<String> notes,
        FidSection fid) {             // FID per entrant against --fid-reference; null when not asked for

    /** A metric with its direction and good-image threshold (null: none). */
    public record MetricSpec(String name, Direction direction, GoodThreshold good, boolean goodFromCommandLine) {
    }

    public record GroupStats(List<String> key, String metric, Summary summary, int errors) {
    }

    public record RankEntry(int rank, String entrant, Summary summary, int errors) {
    }

    /**
     * @param belowMean the entrant's mean is worse than the mean of all entrants' means on this prompt
     * @param worst     the entrant has the worst mean on this prompt (only set when ≥ 2 entrants have data)
     */
    public record PromptCell(String entrant, String prompt, Summary summary, boolean belowMean, boolean worst) {
    }

    /**
     * Over matched (prompt, seed) pairs: rateA = (winsA + ties/2) / pairs, with a 95% Wilson interval.
     * onlyA / onlyB: (prompt, seed) keys scored for one side only (not used).
     */
    public record WinRate(String metric, String a, String b, int pairs, int winsA, int winsB, int ties,
                          int onlyA, int onlyB, double rateA, double ciLow, double ciHigh) {
    }

    /** This report with FID per entrant added (the ranking and statistics are unchanged). */
    public Report withFid(FidSection section) {
        return new Report(table, title, byFields, entrantField, promptField, seedField, metrics, rankMetric, entrants, groups,
                ranking, prompts, promptText, promptCells, winRates, values, bins, errorRows, notes, section);
    }

    public MetricSpec metric(String name) {
        for (MetricSpec m : metrics) if (m.name().equals(name)) return m;
        throw new IllegalArgumentException("no metric " + name);
    }

    /** "checkpoint=a" or "checkpoint=a, prompt=p". */
    public String groupLabel(List<String> key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(byFields.get(i)).append('=').append(key.get(i));
        }
        return sb.toString();
    }

    public PromptCell cell(String entrant, String prompt) {
        for (PromptCell c : promptCells) if (c.entrant().equals(entrant) && c.prompt().equals(prompt)) return c;
        return null;
    }
}
