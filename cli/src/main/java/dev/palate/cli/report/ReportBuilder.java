package dev.palate.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.palate.cli.report.Report.GroupStats;
import dev.palate.cli.report.Report.MetricSpec;
import dev.palate.cli.report.Report.PromptCell;
import dev.palate.cli.report.Report.RankEntry;
import dev.palate.cli.report.Report.WinRate;

/** Turns a scores file into a {@link Report}: statistics per group, ranking, per-prompt table, pairwise win rates. */
public final class ReportBuilder {
    static final String MISSING = "(missing)";

    private ReportBuilder() {
    }

    public static Report build(Path scoresFile, ReportSettings settings) {
        Set<String> reserved = new LinkedHashSet<>(settings.byFields());
        if (settings.promptField() != null) reserved.add(settings.promptField());
        reserved.add(settings.seedField());
        return build(ScoresReader.read(scoresFile, settings.metrics(), reserved), settings);
    }

    public static Report build(ScoreTable table, ReportSettings settings) {
        List<String> notes = new ArrayList<>();
        List<MetricSpec> metrics = metricSpecs(table, settings);
        MetricSpec rank = metrics.get(0);
        if (settings.rankBy() != null) {
            rank = metrics.stream().filter(m -> m.name().equals(settings.rankBy())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--rank-by " + settings.rankBy() + ": " + table.source()
                            + " has no such metric; it has " + names(metrics)));
        }
        for (String by : settings.byFields())
            if (!table.hasField(by))
                throw new IllegalArgumentException("--by " + by + ": " + table.source() + " has no field '" + by
                        + "'; its fields are " + table.fields());
        String entrantField = settings.byFields().get(0);
        String promptField = settings.promptField() != null ? settings.promptField()
                : table.hasField("prompt_id") ? "prompt_id" : table.hasField("prompt") ? "prompt" : null;
        if (promptField != null && !table.hasField(promptField))
            throw new IllegalArgumentException("--prompt-field " + promptField + ": " + table.source()
                    + " has no such field; its fields are " + table.fields());

        List<ScoreRow> rows = table.rows();
        List<String> entrants = distinct(rows, entrantField);
        int errorRows = (int) rows.stream().filter(ScoreRow::failed).count();

        // Statistics per --by group.
        Map<List<String>, List<ScoreRow>> byGroup = new LinkedHashMap<>();
        for (ScoreRow r : rows) byGroup.computeIfAbsent(key(r, settings.byFields()), k -> new ArrayList<>()).add(r);
        List<GroupStats> groups = new ArrayList<>();
        for (Map.Entry<List<String>, List<ScoreRow>> g : byGroup.entrySet())
            for (MetricSpec m : metrics)
                groups.add(new GroupStats(g.getKey(), m.name(), Summary.of(values(g.getValue(), m.name()), m.good()),
                        errors(g.getValue(), m.name())));

        // Values per entrant, for ranking and histograms.
        Map<String, List<ScoreRow>> byEntrant = new LinkedHashMap<>();
        for (ScoreRow r : rows) byEntrant.computeIfAbsent(value(r, entrantField), k -> new ArrayList<>()).add(r);
        Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
        for (MetricSpec m : metrics) {
            Map<String, double[]> perEntrant = new LinkedHashMap<>();
            for (String e : entrants) perEntrant.put(e, values(byEntrant.get(e), m.name()));
            values.put(m.name(), perEntrant);
        }

        List<RankEntry> ranking = ranking(entrants, byEntrant, rank, values.get(rank.name()));
        List<String> order = ranking.stream().map(RankEntry::entrant).toList();

        List<String> prompts = List.of();
        Map<String, String> promptText = new LinkedHashMap<>();
        List<PromptCell> cells = List.of();
        List<WinRate> winRates = new ArrayList<>();
        if (promptField == null) {
            notes.add("no prompt field (prompt_id or prompt): per-prompt table and win rates skipped; pass --prompt-field");
        } else {
            prompts = distinct(rows, promptField);
            if (!promptField.equals("prompt") && table.hasField("prompt"))
                for (ScoreRow r : rows)
                    if (r.field("prompt") != null) promptText.putIfAbsent(value(r, promptField), r.field("prompt"));
            if (!promptField.equals(entrantField)) cells = promptCells(rows, order, prompts, entrantField, promptField, rank);
            if (!table.hasField(settings.seedField()))
                notes.add("no '" + settings.seedField() + "' field: images cannot be paired by (prompt, seed), win rates"
                        + " skipped; pass --seed-field");
            else
                for (MetricSpec m : metrics)
                    winRates.addAll(PairwiseWinRates.compute(rows, order, entrantField, promptField, settings.seedField(),
                            m, notes));
        }
        int bins = settings.bins() > 0 ? settings.bins() : autoBins(values);
        String title = settings.title() != null ? settings.title() : "Palate report: " + table.source().getFileName();
        return new Report(table, title, settings.byFields(), entrantField, promptField, settings.seedField(), metrics,
                rank, entrants, groups, ranking, prompts, promptText, cells, winRates, values, bins, errorRows,
                List.copyOf(new LinkedHashSet<>(notes)), null);
    }

    private static List<MetricSpec> metricSpecs(ScoreTable table, ReportSettings settings) {
        Map<String, GoodThreshold> good = new LinkedHashMap<>();
        for (GoodThreshold g : settings.good()) {
            if (!table.metrics().contains(g.metric()))
                throw new IllegalArgumentException("--good " + g + ": " + table.source() + " has no metric '" + g.metric()
                        + "'; it has " + table.metrics());
            good.put(g.metric(), g);
        }
        for (String m : settings.lowerBetter())
            if (!table.metrics().contains(m))
                throw new IllegalArgumentException("--lower-better " + m + ": " + table.source() + " has no such metric; it has "
                        + table.metrics());
        List<MetricSpec> specs = new ArrayList<>();
        for (String m : table.metrics()) {
            Direction d = settings.lowerBetter().contains(m) ? Direction.LOWER_IS_BETTER : MetricDirections.direction(m);
            GoodThreshold g = good.get(m);
            specs.add(new MetricSpec(m, d, g != null ? g : MetricDirections.defaultThreshold(m).orElse(null), g != null));
        }
        return specs;
    }

    private static List<RankEntry> ranking(List<String> entrants, Map<String, List<ScoreRow>> byEntrant, MetricSpec rank,
                                           Map<String, double[]> values) {
        List<RankEntry> unranked = new ArrayList<>();
        for (String e : entrants)
            unranked.add(new RankEntry(0, e, Summary.of(values.get(e), rank.good()), errors(byEntrant.get(e), rank.name())));
        Comparator<RankEntry> byMean = Comparator.comparingDouble(r -> r.summary().mean());
        if (rank.direction() == Direction.HIGHER_IS_BETTER) byMean = byMean.reversed();
        // Entrants without data go last; List.sort is stable, so equal means keep file order.
        Comparator<RankEntry> order = Comparator.<RankEntry, Boolean>comparing(r -> r.summary().n() == 0).thenComparing(byMean);
        unranked.sort(order);
        List<RankEntry> ranked = new ArrayList<>();
        for (int i = 0; i < unranked.size(); i++) {
            RankEntry r = unranked.get(i);
            ranked.add(new RankEntry(r.summary().n() == 0 ? 0 : i + 1, r.entrant(), r.summary(), r.errors()));
        }
        return ranked;
    }

    private static List<PromptCell> promptCells(List<ScoreRow> rows, List<String> entrants, List<String> prompts,
                                                String entrantField, String promptField, MetricSpec rank) {
        double tol = PairwiseWinRates.tolerance(rows, rank.name());
        Map<List<String>, List<ScoreRow>> byCell = new LinkedHashMap<>();
        for (ScoreRow r : rows) byCell.computeIfAbsent(List.of(value(r, entrantField), value(r, promptField)), k -> new ArrayList<>()).add(r);
        List<PromptCell> cells = new ArrayList<>();
        for (String p : prompts) {
            Map<String, Summary> perEntrant = new LinkedHashMap<>();
            for (String e : entrants)
                perEntrant.put(e, Summary.of(values(byCell.getOrDefault(List.of(e, p), List.of()), rank.name()), rank.good()));
            List<Double> means = perEntrant.values().stream().filter(s -> s.n() > 0).map(Summary::mean).toList();
            double crossMean = means.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            Double worst = null, best = null;
            for (double m : means) {
                if (worst == null || rank.direction().better(worst, m)) worst = m;
                if (best == null || rank.direction().better(m, best)) best = m;
            }
            // differences within the tie tolerance are float noise: no ▼, and no ✗ when every mean ties the best
            boolean spread = worst != null && Math.abs(best - worst) > tol;
            for (Map.Entry<String, Summary> e : perEntrant.entrySet()) {
                Summary s = e.getValue();
                boolean compared = s.n() > 0 && means.size() >= 2;
                cells.add(new PromptCell(e.getKey(), p, s,
                        compared && Math.abs(crossMean - s.mean()) > tol && rank.direction().better(crossMean, s.mean()),
                        compared && spread && s.mean() == worst));
            }
        }
        return cells;
    }

    /** Successful, finite scores of {@code metric} in these rows. */
    static double[] values(List<ScoreRow> rows, String metric) {
        return rows.stream().filter(r -> !r.failedFor(metric)).map(r -> r.scores().get(metric))
                .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).toArray();
    }

    /** Rows failed for {@code metric}, plus rows whose score for it is NaN or infinite. */
    static int errors(List<ScoreRow> rows, String metric) {
        int n = 0;
        for (ScoreRow r : rows) {
            Double v = r.scores().get(metric);
            if (r.failedFor(metric) || (!r.failed() && v != null && !Double.isFinite(v))) n++;
        }
        return n;
    }

    static String value(ScoreRow r, String field) {
        String v = r.field(field);
        return v == null ? MISSING : v;
    }

    private static List<String> key(ScoreRow r, List<String> fields) {
        List<String> k = new ArrayList<>(fields.size());
        for (String f : fields) k.add(value(r, f));
        return List.copyOf(k);
    }

    private static List<String> distinct(List<ScoreRow> rows, String field) {
        Set<String> seen = new LinkedHashSet<>();
        for (ScoreRow r : rows) seen.add(value(r, field));
        return List.copyOf(seen);
    }

    private static int autoBins(Map<String, Map<String, double[]>> values) {
        int max = 0;
        for (Map<String, double[]> m : values.values()) for (double[] v : m.values()) max = Math.max(max, v.length);
        return Math.max(5, Math.min(40, (int) Math.ceil(Math.sqrt(max))));
    }

    private static List<String> names(List<MetricSpec> metrics) {
        return metrics.stream().map(MetricSpec::name).toList();
    }
}
