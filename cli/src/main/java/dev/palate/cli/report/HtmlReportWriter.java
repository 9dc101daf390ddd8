package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.palate.cli.report.Report.GroupStats;
import dev.palate.cli.report.Report.MetricSpec;
import dev.palate.cli.report.Report.PromptCell;
import dev.palate.cli.report.Report.RankEntry;
import dev.palate.cli.report.Report.WinRate;

/**
 * The report as one self-contained HTML file: inline CSS, one inline SVG histogram per metric and entrant,
 * no scripts, fonts or other external resources.
 */
final class HtmlReportWriter {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px 32px;color:#1d2430;background:#fff;max-width:1200px}
            h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
            h3{font-size:14px;margin:16px 0 6px}p.meta{color:#556;margin:0 0 12px;font-size:13px}
            table{border-collapse:collapse;font-size:12.5px;margin:4px 0 10px}
            th,td{border:1px solid #d8dde6;padding:3px 8px;text-align:right;white-space:nowrap}
            th{background:#f1f4f8;font-weight:600}td.l,th.l{text-align:left}td.p{max-width:360px;overflow:hidden;text-overflow:ellipsis}
            table.prompts th:not(.l){white-space:normal;overflow-wrap:anywhere;max-width:120px;vertical-align:bottom}
            .scroll{overflow-x:auto;max-width:100%}tr.first td{background:#eef8ee}td.below{background:#fff4e0}td.worst{background:#fde3e1}
            .grid{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #d8dde6;border-radius:4px;padding:2px}
            svg.hist{display:block}svg .bar{fill:#4c78a8}svg .axis{stroke:#8893a2;stroke-width:1}
            svg .mean{stroke:#d62728;stroke-width:1.5;stroke-dasharray:4 3}svg .good{stroke:#2ca02c;stroke-width:1.5}
            svg text{font-size:11px;fill:#334}svg text.t{font-size:12px;font-weight:600}svg text.nodata{fill:#889}
            .legend{font-size:12px;color:#556;margin:2px 0 8px}.key{display:inline-block;width:14px;height:0;vertical-align:middle;margin:0 4px 0 10px}
            ul{font-size:12.5px;padding-left:20px}li{margin:2px 0}
            """;

    private HtmlReportWriter() {
    }

    static String render(Report r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.esc(r.title()))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        h.append("<h1>").append(Html.esc(r.title())).append("</h1>\n<p class=\"meta\">Source <code>")
                .append(Html.esc(r.table().source().getFileName().toString())).append("</code>: ")
                .append(r.table().rows().size()).append(" rows, ").append(r.errorRows()).append(" with errors; ")
                .append(r.entrants().size()).append(' ').append(Html.esc(r.entrantField())).append(" values; metrics ")
                .append(Html.esc(String.join(", ", r.metrics().stream().map(MetricSpec::name).toList()))).append(".</p>\n");

        ranking(h, r);
        if (r.fid() != null) fid(h, r);
        histograms(h, r);
        statistics(h, r);
        prompts(h, r);
        winRates(h, r);
        h.append("<h2>Definitions</h2>\n<ul>\n");
        for (String d : Definitions.lines(r)) h.append("<li>").append(Html.esc(d)).append("</li>\n");
        h.append("</ul>\n");
        if (!r.notes().isEmpty()) {
            h.append("<h2>Notes</h2>\n<ul>\n");
            for (String n : r.notes()) h.append("<li>").append(Html.esc(n)).append("</li>\n");
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void ranking(StringBuilder h, Report r) {
        MetricSpec m = r.rankMetric();
        h.append("<h2>Ranking by ").append(Html.esc(m.name())).append(" (").append(m.direction().label()).append(")</h2>\n");
        h.append("<table class=\"ranking\">");
        header(h, List.of("rank", r.entrantField(), "n", "mean", "std", "median", "p10", "p90", "good", "errors"), 2);
        for (RankEntry e : r.ranking()) {
            h.append(e.rank() == 1 ? "<tr class=\"first\">" : "<tr>");
            cells(h, MarkdownReportWriter.statsCells(List.of(e.rank() == 0 ? "—" : Integer.toString(e.rank()), e.entrant()),
                    e.summary(), e.errors()), 2);
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void fid(StringBuilder h, Report r) {
        FidSection f = r.fid();
        h.append("<h2>FID per ").append(Html.esc(r.entrantField())).append(" <small>(lower is better; not part of the ranking)")
                .append("</small></h2>\n<p class=\"meta\">").append(Html.esc(FidText.setup(f))).append("</p>\n<table class=\"fid\">");
        header(h, List.of(r.entrantField(), "images", "FID", "missing", "unreadable", "full-rank covariance"), 1);
        for (FidSection.GroupFid g : f.groups()) {
            h.append("<tr>");
            cells(h, FidText.cells(g, f.dims()), 1);
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        List<String> warnings = FidText.warnings(f);
        if (!warnings.isEmpty()) {
            h.append("<div class=\"legend\">FID warnings:</div>\n<ul class=\"fid-warnings\">");
            for (String w : warnings) h.append("<li>").append(Html.esc(w)).append("</li>");
            h.append("</ul>\n");
        }
        if (!f.errors().isEmpty()) {
            h.append("<div class=\"legend\">FID errors (").append(f.errors().size())
                    .append(" image files left out):</div>\n<ul class=\"fid-errors\">");
            for (String e : f.errors()) h.append("<li>").append(Html.esc(e)).append("</li>");
            h.append("</ul>\n");
        }
    }

    private static void histograms(StringBuilder h, Report r) {
        h.append("<h2>Histograms per ").append(Html.esc(r.entrantField())).append("</h2>\n");
        h.append("<div class=\"legend\"><span class=\"key\" style=\"border-top:2px dashed #d62728\"></span>mean"
                + "<span class=\"key\" style=\"border-top:2px solid #2ca02c\"></span>good-image threshold; ")
                .append(r.bins()).append(" bins, shared range and height per metric</div>\n");
        for (MetricSpec m : r.metrics()) {
            Map<String, double[]> perEntrant = r.values().get(m.name());
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double[] v : perEntrant.values()) for (double x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            if (lo == hi) { // one distinct value (or none): give the bars some width
                double pad = Double.isFinite(lo) ? Math.max(0.5, Math.abs(lo) * 0.01) : 0.5;
                lo = Double.isFinite(lo) ? lo - pad : 0;
                hi = Double.isFinite(hi) ? hi + pad : 1;
            }
            int yMax = 1;
            for (double[] v : perEntrant.values())
                for (int c : SvgHistogram.counts(v, lo, hi, r.bins())) yMax = Math.max(yMax, c);
            h.append("<h3>").append(Html.esc(m.name())).append(" <small>(").append(m.direction().label());
            if (m.good() != null) h.append("; good ").append(Html.esc(m.good().condition()));
            h.append(")</small></h3>\n<div class=\"grid\">\n");
            for (String e : r.ranking().stream().map(RankEntry::entrant).toList()) {
                double[] v = perEntrant.get(e);
                double mean = v.length == 0 ? Double.NaN : Summary.mean(v);
                h.append("<div class=\"card\">").append(SvgHistogram.render(e, v, lo, hi, r.bins(), yMax, mean, m.good()))
                        .append("</div>\n");
            }
            h.append("</div>\n");
        }
    }

    private static void statistics(StringBuilder h, Report r) {
        h.append("<h2>Statistics per ").append(Html.esc(String.join(" × ", r.byFields()))).append("</h2>\n");
        int lead = r.byFields().size();
        for (MetricSpec m : r.metrics()) {
            h.append("<h3>").append(Html.esc(m.name())).append("</h3>\n<table class=\"stats\">");
            List<String> head = new ArrayList<>(r.byFields());
            head.addAll(List.of("n", "mean", "std", "median", "p10", "p90", "good", "errors"));
            header(h, head, lead);
            for (GroupStats g : r.groups()) {
                if (!g.metric().equals(m.name())) continue;
                h.append("<tr>");
                cells(h, MarkdownReportWriter.statsCells(g.key(), g.summary(), g.errors()), lead);
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void prompts(StringBuilder h, Report r) {
        if (r.promptCells().isEmpty()) return;
        MetricSpec m = r.rankMetric();
        List<String> order = r.ranking().stream().map(RankEntry::entrant).toList();
        h.append("<h2>Per ").append(Html.esc(r.promptField())).append(": ").append(Html.esc(m.name())).append("</h2>\n");
        h.append("<div class=\"legend\">mean").append(m.good() != null ? " (share good)" : "")
                .append("; orange ▼ = worse than the cross-").append(Html.esc(r.entrantField()))
                .append(" mean on that prompt, red ✗ = worst</div>\n<div class=\"scroll\"><table class=\"prompts\">");
        List<String> head = new ArrayList<>();
        head.add(r.promptField());
        head.addAll(order);
        header(h, head, 1);
        for (String p : r.prompts()) {
            h.append("<tr><td class=\"l p\" title=\"").append(Html.esc(MarkdownReportWriter.promptLabel(r, p))).append("\">")
                    .append(Html.esc(MarkdownReportWriter.promptLabel(r, p))).append("</td>");
            for (String e : order) {
                PromptCell c = r.cell(e, p);
                if (c == null || c.summary().n() == 0) {
                    h.append("<td>—</td>");
                    continue;
                }
                String cls = c.worst() ? " class=\"worst\"" : c.belowMean() ? " class=\"below\"" : "";
                h.append("<td").append(cls).append('>').append(Numbers.fixed(c.summary().mean()));
                if (m.good() != null) h.append(" (").append(Numbers.percent(c.summary().shareGood())).append(')');
                if (c.belowMean()) h.append(" ▼");
                if (c.worst()) h.append(" ✗");
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
        h.append("<ul class=\"worst\">");
        for (String e : order) {
            List<String> worst = r.promptCells().stream().filter(c -> c.entrant().equals(e) && c.worst())
                    .map(c -> MarkdownReportWriter.promptLabel(r, c.prompt())).toList();
            h.append("<li><b>").append(Html.esc(e)).append("</b> does worst on: ")
                    .append(Html.esc(worst.isEmpty() ? "none" : String.join("; ", worst))).append("</li>");
        }
        h.append("</ul>\n");
    }

    private static void winRates(StringBuilder h, Report r) {
        if (r.winRates().isEmpty()) return;
        h.append("<h2>Pairwise win rates (matched on ").append(Html.esc(r.promptField())).append(", ")
                .append(Html.esc(r.seedField())).append(")</h2>\n<div class=\"scroll\"><table class=\"winrates\">");
        header(h, List.of("metric", "A", "B", "pairs", "A wins", "B wins", "ties", "A win rate", "95% CI", "unmatched A / B"), 3);
        for (WinRate w : r.winRates()) {
            h.append("<tr>");
            cells(h, List.of(w.metric(), w.a(), w.b(), Integer.toString(w.pairs()), Integer.toString(w.winsA()),
                    Integer.toString(w.winsB()), Integer.toString(w.ties()), Numbers.fixed(w.rateA()),
                    "[" + Numbers.fixed(w.ciLow()) + ", " + Numbers.fixed(w.ciHigh()) + "]", w.onlyA() + " / " + w.onlyB()), 3);
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    /** Header row; the first {@code leftAligned} columns are text. */
    private static void header(StringBuilder h, List<String> names, int leftAligned) {
        h.append("<tr>");
        for (int i = 0; i < names.size(); i++)
            h.append(i < leftAligned ? "<th class=\"l\">" : "<th>").append(Html.esc(names.get(i))).append("</th>");
        h.append("</tr>\n");
    }

    private static void cells(StringBuilder h, List<String> values, int leftAligned) {
        for (int i = 0; i < values.size(); i++)
            h.append(i < leftAligned ? "<td class=\"l\">" : "<td>").append(Html.esc(values.get(i))).append("</td>");
    }
}
