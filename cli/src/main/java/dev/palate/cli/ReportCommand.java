package dev.palate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import dev.palate.cli.report.ConsoleSummary;
import dev.palate.cli.report.FidPerGroup;
import dev.palate.cli.report.FidSettings;
import dev.palate.cli.report.GoodThreshold;
import dev.palate.cli.report.Report;
import dev.palate.cli.report.ReportBuilder;
import dev.palate.cli.report.ReportFormat;
import dev.palate.cli.report.ReportSettings;
import dev.palate.cli.run.RunProvenance;
import dev.palate.models.fid.InceptionInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Summarises a scores file from {@code palate score} into a checkpoint report (Markdown, CSV or HTML). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Per-group statistics (count, mean, sample std, median, p10, p90, share good, errors), a ranking, a per-prompt"
                + " table and pairwise win rates over matched (prompt, seed) pairs, from a scores file.",
            "Default good thresholds: aesthetic-v1/-v2 >= 6, imagereward >= 0. Lower is better for style-loss, fid, lpips.",
            "Refuses a scores file whose FILE.meta.json records one metric scored with different options (--set).",
            "With --fid-reference: FID (pytorch-fid, 2048-d pool3 unless --fid-dims) of each checkpoint's image files against the reference,"
                + " reported beside the ranking (lower is better; the ranking does not use it)."},
        footer = {"", "Example: palate report --input scores.jsonl --by checkpoint --good aesthetic-v2>=6 --output report.html",
                "FID per checkpoint: palate report --input scores.jsonl --fid-reference ref-images/ --image-root outputs/"
                        + " --output report.md",
                "Inception weights: pt_inception-2015-12-05-6726825d.pth, looked up as 'palate fid' does unless --fid-weights is given."})
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

    @Option(names = "--fid-reference", paramLabel = "DIR_OR_NPZ",
            description = "Also report FID per checkpoint (first --by field) against these reference images (a folder) or"
                    + " statistics (.npz with mu, sigma, as pytorch-fid --save-stats or 'palate fid --save-stats' writes).")
    Path fidReference;

    @Option(names = "--image-root", paramLabel = "DIR",
            description = "Folder the scores file's relative 'image' paths resolve against (the manifest's folder for"
                    + " 'palate score --input', the --images folder for 'palate score --images'). Default: the scores file's folder.")
    Path imageRoot;

    @Option(names = "--fid-mode", paramLabel = "legacy|clean",
            description = "legacy: pytorch-fid; clean: clean-fid's Pillow bicubic resize to 299 first. Default: legacy.")
    String fidMode;

    @Option(names = "--fid-weights", paramLabel = "PATH",
            description = "The FID Inception checkpoint (.pth or .safetensors). Default: the torch hub cache, as 'palate fid'.")
    Path fidWeights;

    @Option(names = "--fid-dims", paramLabel = "N", defaultValue = "2048",
            description = "FID feature block, as 'palate fid --dims': 64, 192, 768 or 2048 (pool3, the standard FID;"
                    + " default: ${DEFAULT-VALUE}).")
    int fidDims;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu", description = "FID device: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "50", description = "FID images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        List<GoodThreshold> thresholds = good.stream().map(GoodThreshold::parse).toList();
        for (Path o : outputs) ReportFormat.of(o); // fail on a bad extension before any work
        RunProvenance.requireSameOptions(List.of(input));
        FidSettings fid = fidSettings();
        ReportSettings settings = new ReportSettings(by.isEmpty() ? List.of("checkpoint") : by, metrics, thresholds, rankBy,
                new LinkedHashSet<>(lowerBetter), promptField, seedField, Math.max(0, bins), title);
        Report report = ReportBuilder.build(input, settings);
        if (fid != null) {
            PrintWriter err = spec.commandLine().getErr();
            report = report.withFid(FidPerGroup.compute(report, fid, (what, done, total) -> {
                if (done == total) {
                    err.printf("palate report: fid features of %s: %d images%n", what, total);
                    err.flush();
                }
            }));
        }
        PrintWriter out = spec.commandLine().getOut();
        ConsoleSummary.print(report, out);
        for (Path o : outputs) {
            ReportFormat.write(report, o);
            out.println("wrote " + o);
        }
        out.flush();
        return 0;
    }

    /** Null without --fid-reference; FID-only options without it are an error rather than silently ignored. */
    private FidSettings fidSettings() {
        if (fidReference == null) {
            List<String> stray = new ArrayList<>();
            if (imageRoot != null) stray.add("--image-root");
            if (fidMode != null) stray.add("--fid-mode");
            if (fidWeights != null) stray.add("--fid-weights");
            if (!stray.isEmpty())
                throw new IllegalArgumentException(String.join(", ", stray) + " only apply to FID; add --fid-reference DIR_OR_NPZ");
            return null;
        }
        InceptionInput.Mode mode = fidMode == null ? InceptionInput.Mode.LEGACY : InceptionInput.Mode.parse(fidMode);
        return new FidSettings(fidReference, imageRoot, mode, fidWeights, device, batchSize, fidDims);
    }
}
