package dev.palate.cli.report;

import java.io.PrintWriter;
import java.util.List;

import dev.palate.cli.report.Report.MetricSpec;
import dev.palate.cli.report.Report.RankEntry;
import dev.palate.cli.report.Report.WinRate;

/** The few lines {@code palate report} prints to stdout. */
public final class ConsoleSummary {
    private ConsoleSummary() {
    }

    public static void print(Report r, PrintWriter out) {
        out.printf("%s: %d rows (%d with errors), %d %s values, metrics %s%n", r.table().source().getFileName(),
                r.table().rows().size(), r.errorRows(), r.entrants().size(), r.entrantField(),
                String.join(", ", r.metrics().stream().map(MetricSpec::name).toList()));
        MetricSpec m = r.rankMetric();
        out.printf("ranked by %s (%s):%n", m.name(), m.direction().label());
        int width = r.ranking().stream().mapToInt(e -> e.entrant().length()).max().orElse(1);
        for (RankEntry e : r.ranking()) {
            Summary s = e.summary();
            out.printf("  %2s. %-" + width + "s  mean %s  std %s  n %d%s  errors %d%n", e.rank() == 0 ? "-" : e.rank(),
                    e.entrant(), Numbers.fixed(s.mean()), Numbers.fixed(s.std()), s.n(),
                    m.good() != null ? "  good " + Numbers.percent(s.shareGood()) : "", e.errors());
        }
        List<WinRate> rankWins = r.winRates().stream().filter(w -> w.metric().equals(m.name())).toList();
        if (!rankWins.isEmpty()) out.printf("win rates on %s over matched (%s, %s) pairs:%n", m.name(), r.promptField(), r.seedField());
        for (WinRate w : rankWins)
            out.printf("  %s vs %s: %s [%s, %s] over %d pairs%n", w.a(), w.b(), Numbers.fixed(w.rateA()),
                    Numbers.fixed(w.ciLow()), Numbers.fixed(w.ciHigh()), w.pairs());
        if (r.fid() != null) {
            FidSection f = r.fid();
            out.printf("FID per %s (%s, lower is better; not part of the ranking) against %s:%n", r.entrantField(), f.mode(),
                    f.referenceImages() < 0 ? f.reference() : f.reference() + " (" + f.referenceImages() + " images)");
            int w = f.groups().stream().mapToInt(g -> g.entrant().length()).max().orElse(1);
            for (FidSection.GroupFid g : f.groups())
                out.printf("  %-" + w + "s  FID %s  images %d  missing %d  unreadable %d%n", g.entrant(), Numbers.fixed(g.fid()),
                        g.images(), g.missing(), g.unreadable());
            for (String warning : FidText.warnings(f)) out.println("fid warning: " + warning);
            for (String e : f.errors()) out.println("fid error: " + e);
        }
        for (String n : r.notes()) out.println("note: " + n);
        out.flush();
    }
}
