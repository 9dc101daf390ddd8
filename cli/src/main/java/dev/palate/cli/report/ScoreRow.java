package dev.palate.cli.report;

import java.util.Map;

/**
 * One row of a scores file.
 *
 * @param line        1-based line (JSONL) or record number counting the header as 1 (CSV), for error messages
 * @param fields      the non-metric fields as text (image, prompt, checkpoint, seed, ...)
 * @param scores      metric name → score; a NaN/infinite value is kept and counted as an error for that metric
 * @param error       the row's {@code error} text, or null when the row did not fail
 * @param errorMetric the metric an error belongs to (rows of the {@code metric}/{@code score} shape); null = a wide
 *                    row, whose error covers every metric without a finite score in it ({@code palate score} keeps
 *                    the scores of the metrics that worked when another failed on the same image)
 */
public record ScoreRow(int line, Map<String, String> fields, Map<String, Double> scores, String error, String errorMetric) {
    public boolean failed() {
        return error != null;
    }

    /** True when this row is an error for {@code metric}. */
    boolean failedFor(String metric) {
        if (error == null) return false;
        if (errorMetric != null) return errorMetric.equals(metric);
        Double v = scores.get(metric);
        return v == null || !Double.isFinite(v);
    }

    String field(String name) {
        return fields.get(name);
    }
}
