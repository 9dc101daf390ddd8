package dev.palate.cli.report;

import java.util.List;

import dev.palate.cli.report.Report.GroupStats;
import dev.palate.cli.report.Report.PromptCell;
import dev.palate.cli.report.Report.RankEntry;
import dev.palate.cli.report.Report.WinRate;

/**
 * The report in long format, one number per line: {@code section,group,metric,stat,value}. Sections:
 * {@code stats} (group = the --by fields, "checkpoint=a;prompt=p"), {@code ranking}, {@code prompt}
 * ("checkpoint=a;prompt_id=p", rank metric), {@code winrate} ("checkpoint=a vs checkpoint=b") and, with
 * {@code --fid-reference}, {@code fid} (metric "fid"; stats fid, images, missing, unreadable, full_rank 1/0 and mode,
 * whose value is the text legacy or clean; group "reference" has the reference's image count, NaN for an .npz).
 * Values in full precision; NaN where undefined (std of one value, share good without a threshold).
 */
final class CsvReportWriter {
    private CsvReportWriter() {
    }

    static String render(Report r) {
        StringBuilder csv = new StringBuilder();
        line(csv, "section", "group", "metric", "stat", "value");
        for (GroupStats g : r.groups()) {
            String group = label(r.byFields(), g.key());
            summary(csv, "stats", group, g.metric(), g.summary(), g.errors());
        }
        for (RankEntry e : r.ranking()) {
            String group = r.entrantField() + "=" + e.entrant();
            line(csv, "ranking", group, r.rankMetric().name(), "rank", Integer.toString(e.rank()));
            summary(csv, "ranking", group, r.rankMetric().name(), e.summary(), e.errors());
        }
        for (PromptCell c : r.promptCells()) {
            String group = r.entrantField() + "=" + c.entrant() + ";" + r.promptField() + "=" + c.prompt();
            String m = r.rankMetric().name();
            line(csv, "prompt", group, m, "count", Integer.toString(c.summary().n()));
            line(csv, "prompt", group, m, "mean", num(c.summary().mean()));
            line(csv, "prompt", group, m, "share_good", num(c.summary().shareGood()));
            line(csv, "prompt", group, m, "below_mean", c.belowMean() ? "1" : "0");
            line(csv, "prompt", group, m, "worst", c.worst() ? "1" : "0");
        }
        for (WinRate w : r.winRates()) {
            String group = r.entrantField() + "=" + w.a() + " vs " + r.entrantField() + "=" + w.b();
            line(csv, "winrate", group, w.metric(), "pairs", Integer.toString(w.pairs()));
            line(csv, "winrate", group, w.metric(), "wins_a", Integer.toString(w.winsA()));
            line(csv, "winrate", group, w.metric(), "wins_b", Integer.toString(w.winsB()));
            line(csv, "winrate", group, w.metric(), "ties", Integer.toString(w.ties()));
            line(csv, "winrate", group, w.metric(), "unmatched_a", Integer.toString(w.onlyA()));
            line(csv, "winrate", group, w.metric(), "unmatched_b", Integer.toString(w.onlyB()));
            line(csv, "winrate", group, w.metric(), "win_rate_a", num(w.rateA()));
            line(csv, "winrate", group, w.metric(), "ci95_low", num(w.ciLow()));
            line(csv, "winrate", group, w.metric(), "ci95_high", num(w.ciHigh()));
        }
        if (r.fid() != null) fid(csv, r);
        return csv.toString();
    }

    private static void fid(StringBuilder csv, Report r) {
        FidSection f = r.fid();
        line(csv, "fid", "reference", "fid", "images", f.referenceImages() < 0 ? "NaN" : Integer.toString(f.referenceImages()));
        for (FidSection.GroupFid g : f.groups()) {
            String group = r.entrantField() + "=" + g.entrant();
            line(csv, "fid", group, "fid", "fid", num(g.fid()));
            line(csv, "fid", group, "fid", "images", Integer.toString(g.images()));
            line(csv, "fid", group, "fid", "missing", Integer.toString(g.missing()));
            line(csv, "fid", group, "fid", "unreadable", Integer.toString(g.unreadable()));
            line(csv, "fid", group, "fid", "full_rank", g.fullRank() ? "1" : "0");
            line(csv, "fid", group, "fid", "mode", f.mode());
        }
    }

    private static void summary(StringBuilder csv, String section, String group, String metric, Summary s, int errors) {
        line(csv, section, group, metric, "count", Integer.toString(s.n()));
        line(csv, section, group, metric, "mean", num(s.mean()));
        line(csv, section, group, metric, "std", num(s.std()));
        line(csv, section, group, metric, "median", num(s.median()));
        line(csv, section, group, metric, "p10", num(s.p10()));
        line(csv, section, group, metric, "p90", num(s.p90()));
        line(csv, section, group, metric, "good", Integer.toString(s.good()));
        line(csv, section, group, metric, "share_good", num(s.shareGood()));
        line(csv, section, group, metric, "errors", Integer.toString(errors));
    }

    static String label(List<String> fields, List<String> key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) sb.append(';');
            sb.append(fields.get(i)).append('=').append(key.get(i));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : Double.toString(v);
    }

    private static void line(StringBuilder csv, String... cells) {
        csv.append(dev.palate.cli.run.Csv.line(List.of(cells)));
    }
}
