package dev.palate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import dev.palate.cli.report.ConsoleSummary;
import dev.palate.cli.report.GoodThreshold;
import dev.palate.cli.report.Report;
import dev.palate.cli.report.ReportBuilder;
import dev.palate.cli.report.ReportFormat;
import dev.palate.cli.report.ReportSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Summarises a scores file from {@code palate score} into a checkpoint report (Markdown, CSV or HTML). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Per-group statistics (count, mean, sample std, median, p10, p90, share good, errors), a ranking, a per-prompt"
                + " table and pairwise win rates over matched (prompt, seed) pairs, from a scores file.",
            "Default good thresholds: aesthetic-v1/-v2 >= 6, imagereward >= 0. Lower is better for style-loss, fid, lpips."},
        footer = {"", "Example: palate report --input scores.jsonl --by checkpoint --good aesthetic-v2>=6 --output report.html"})
public final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Scores file from 'palate score': .jsonl (one JSON object per line) or .csv with a header row.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Report file; the format follows the extension: .md, .csv (long: section,group,metric,stat,value)"
                    + " or .html (self-contained). Repeatable. Without it only the summary is printed.")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--by", paramLabel = "FIELD",
            description = "Group by this field; repeatable (--by checkpoint --by prompt). The first is ranked and"
                    + " compared pairwise. Default: checkpoint.")
    List<String> by = new ArrayList<>();

    @Option(names = "--good", paramLabel = "METRIC>=X",
            description = "Good-image threshold, METRIC>=X or METRIC<=X (also > and <); repeatable; overrides the default.")
    List<String> good = new ArrayList<>();

    @Option(names = "--rank-by", paramLabel = "METRIC", description = "Metric to rank by and tabulate per prompt. Default: the first metric.")
    String rankBy;

    @Option(names = "--metric", paramLabel = "METRIC",
            description = "Report only this metric; repeatable. Default: every numeric field that is not an input field.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--lower-better", paramLabel = "METRIC", description = "Treat this metric as lower-is-better; repeatable.")
    List<String> lowerBetter = new ArrayList<>();

    @Option(names = "--prompt-field", paramLabel = "FIELD",
            description = "Field identifying the prompt. Default: prompt_id when present, else prompt.")
    String promptField;

    @Option(names = "--seed-field", paramLabel = "FIELD", defaultValue = "seed",
            description = "Field holding the seed, for pairing images across checkpoints. Default: ${DEFAULT-VALUE}.")
    String seedField;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "0",
            description = "Histogram bins; 0 = ceil(sqrt(n)) of the largest group, clamped to [5, 40].")
    int bins;

    @Option(names = "--title", paramLabel = "TEXT", description = "Report title.")
    String title;

    @Override
    public Integer call() {
        List<GoodThreshold> thresholds = good.stream().map(GoodThreshold::parse).toList();
        for (Path o : outputs) ReportFormat.of(o); // fail on a bad extension before any work
        ReportSettings settings = new ReportSettings(by.isEmpty() ? List.of("checkpoint") : by, metrics, thresholds, rankBy,
                new LinkedHashSet<>(lowerBetter), promptField, seedField, Math.max(0, bins), title);
        Report report = ReportBuilder.build(input, settings);
        PrintWriter out = spec.commandLine().getOut();
        ConsoleSummary.print(report, out);
        for (Path o : outputs) {
            ReportFormat.write(report, o);
            out.println("wrote " + o);
        }
        out.flush();
        return 0;
    }
}
