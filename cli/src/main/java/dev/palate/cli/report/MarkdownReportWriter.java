package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.List;

import dev.palate.cli.report.Report.GroupStats;
import dev.palate.cli.report.Report.MetricSpec;
import dev.palate.cli.report.Report.PromptCell;
import dev.palate.cli.report.Report.RankEntry;
import dev.palate.cli.report.Report.WinRate;

/** The report as Markdown tables. */
final class MarkdownReportWriter {
    private MarkdownReportWriter() {
    }

    static String render(Report r) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(esc(r.title())).append("\n\n");
        md.append("Source `").append(r.table().source().getFileName()).append("`: ").append(r.table().rows().size())
                .append(" rows, ").append(r.errorRows()).append(" with errors; ").append(r.entrants().size()).append(' ')
                .append(r.entrantField()).append(" values; metrics ").append(String.join(", ", names(r))).append(".\n\n");

        MetricSpec rank = r.rankMetric();
        md.append("## Ranking by ").append(rank.name()).append(" (").append(rank.direction().label()).append(")\n\n");
        table(md, List.of("rank", r.entrantField(), "n", "mean", "std", "median", "p10", "p90", "good", "errors"), 2);
        for (RankEntry e : r.ranking())
            row(md, statsCells(List.of(e.rank() == 0 ? "—" : Integer.toString(e.rank()), e.entrant()), e.summary(), e.errors()));
        md.append('\n');

        if (r.fid() != null) fid(md, r);

        md.append("## Statistics per ").append(String.join(" × ", r.byFields())).append("\n\n");
        for (MetricSpec m : r.metrics()) {
            md.append("### ").append(m.name()).append(" (").append(m.direction().label());
            if (m.good() != null) md.append("; good ").append(m.good().condition());
            md.append(")\n\n");
            List<String> header = new ArrayList<>(r.byFields());
            header.addAll(List.of("n", "mean", "std", "median", "p10", "p90", "good", "errors"));
            table(md, header, r.byFields().size());
            for (GroupStats g : r.groups())
                if (g.metric().equals(m.name())) row(md, statsCells(g.key(), g.summary(), g.errors()));
            md.append('\n');
        }

        if (!r.promptCells().isEmpty()) {
            md.append("## Per ").append(r.promptField()).append(": ").append(rank.name()).append("\n\n");
            md.append("Mean ").append(rank.name()).append(rank.good() != null ? " (share good)" : "")
                    .append(" per ").append(r.promptField()).append("; ▼ worse than the cross-").append(r.entrantField())
                    .append(" mean on that prompt, ✗ worst.\n\n");
            List<String> header = new ArrayList<>();
            header.add(r.promptField());
            List<String> order = r.ranking().stream().map(RankEntry::entrant).toList();
            header.addAll(order);
            table(md, header, 1);
            for (String p : r.prompts()) {
                List<String> cells = new ArrayList<>();
                cells.add(promptLabel(r, p));
                for (String e : order) cells.add(promptCell(r.cell(e, p), rank));
                row(md, cells);
            }
            md.append('\n');
            md.append("Prompts each ").append(r.entrantField()).append(" does worst on:\n\n");
            for (String e : order) {
                List<String> worst = r.promptCells().stream().filter(c -> c.entrant().equals(e) && c.worst())
                        .map(c -> promptLabel(r, c.prompt())).toList();
                md.append("- ").append(esc(e)).append(": ").append(worst.isEmpty() ? "none" : String.join("; ", worst)).append('\n');
            }
            md.append('\n');
        }

        if (!r.winRates().isEmpty()) {
            md.append("## Pairwise win rates (matched on ").append(r.promptField()).append(", ").append(r.seedField())
                    .append(")\n\n");
            table(md, List.of("metric", "A", "B", "pairs", "A wins", "B wins", "ties", "A win rate", "95% CI",
                    "unmatched A / B"), 3);
            for (WinRate w : r.winRates())
                row(md, List.of(w.metric(), w.a(), w.b(), Integer.toString(w.pairs()), Integer.toString(w.winsA()),
                        Integer.toString(w.winsB()), Integer.toString(w.ties()), Numbers.fixed(w.rateA()),
                        "[" + Numbers.fixed(w.ciLow()) + ", " + Numbers.fixed(w.ciHigh()) + "]",
                        w.onlyA() + " / " + w.onlyB()));
            md.append('\n');
        }

        md.append("## Definitions\n\n");
        for (String d : Definitions.lines(r)) md.append("- ").append(esc(d)).append('\n');
        if (!r.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String n : r.notes()) md.append("- ").append(esc(n)).append('\n');
        }
        return md.toString();
    }

    private static void fid(StringBuilder md, Report r) {
        FidSection f = r.fid();
        md.append("## FID per ").append(r.entrantField()).append(" (lower is better; not part of the ranking)\n\n");
        md.append(esc(FidText.setup(f))).append("\n\n");
        table(md, List.of(r.entrantField(), "images", "FID", "missing", "unreadable", "full-rank covariance"), 1);
        for (FidSection.GroupFid g : f.groups()) row(md, FidText.cells(g, f.dims()));
        md.append('\n');
        List<String> warnings = FidText.warnings(f);
        if (!warnings.isEmpty()) {
            md.append("FID warnings:\n\n");
            for (String w : warnings) md.append("- ").append(esc(w)).append('\n');
            md.append('\n');
        }
        if (!f.errors().isEmpty()) {
            md.append("FID errors (").append(f.errors().size()).append(" image files left out):\n\n");
            for (String e : f.errors()) md.append("- ").append(esc(e)).append('\n');
            md.append('\n');
        }
    }

    static List<String> statsCells(List<String> lead, Summary s, int errors) {
        List<String> c = new ArrayList<>(lead);
        c.add(Integer.toString(s.n()));
        c.add(Numbers.fixed(s.mean()));
        c.add(Numbers.fixed(s.std()));
        c.add(Numbers.fixed(s.median()));
        c.add(Numbers.fixed(s.p10()));
        c.add(Numbers.fixed(s.p90()));
        c.add(Numbers.percent(s.shareGood()));
        c.add(Integer.toString(errors));
        return c;
    }

    private static String promptCell(PromptCell c, MetricSpec rank) {
        if (c == null || c.summary().n() == 0) return "—";
        StringBuilder s = new StringBuilder(Numbers.fixed(c.summary().mean()));
        if (rank.good() != null) s.append(" (").append(Numbers.percent(c.summary().shareGood())).append(')');
        if (c.belowMean()) s.append(" ▼");
        if (c.worst()) s.append(" ✗");
        return s.toString();
    }

    static String promptLabel(Report r, String prompt) {
        String text = r.promptText().get(prompt);
        if (text == null) return prompt;
        String t = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return prompt + ": " + t;
    }

    /** Header and alignment rows; the first {@code leftAligned} columns are text, the rest numbers. */
    private static void table(StringBuilder md, List<String> header, int leftAligned) {
        row(md, header);
        md.append('|');
        for (int i = 0; i < header.size(); i++) md.append(i < leftAligned ? " --- |" : " ---: |");
        md.append('\n');
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String c : cells) md.append(' ').append(esc(c)).append(" |");
        md.append('\n');
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static List<String> names(Report r) {
        return r.metrics().stream().map(MetricSpec::name).toList();
    }
}
