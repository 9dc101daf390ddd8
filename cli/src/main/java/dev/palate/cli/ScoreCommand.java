package dev.palate.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import java.nio.file.Files;

import dev.palate.cli.run.FolderInput;
import dev.palate.cli.run.InputRow;
import dev.palate.cli.run.ManifestReader;
import dev.palate.cli.run.ModelIdentity;
import dev.palate.cli.run.PixelBudget;
import dev.palate.cli.run.Progress;
import dev.palate.cli.run.ResultWriter;
import dev.palate.cli.run.ResumePlan;
import dev.palate.cli.run.RowLayout;
import dev.palate.cli.run.RunProvenance;
import dev.palate.cli.run.ScoreRun;
import dev.palate.cli.run.ScoresFile;
import dev.palate.preprocess.DecodeLimits;
import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ModelLocator;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores a manifest or a folder of images with one or more metrics; resumable. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score images with one or more metrics. Output: one row per input row, in input order.",
        footer = {"", "Models: --model PATH_OR_ID for a single metric, or --model METRIC=PATH_OR_ID per metric;",
                "a second weight set of a metric is named by role: --model aesthetic-v2:backbone=openai/clip-vit-large-patch14.",
                "Ids are looked up offline in the Hugging Face and ModelScope caches.",
                "Options: --set METRIC:KEY=VALUE per metric, e.g. --set hpsv2:resize=antialias (palate metrics lists them).",
                "The options, models (path, size, sample hash), device and dtype are recorded in OUTPUT.meta.json.",
                "Rerunning with the same --output resumes by position (output row k is input row k): rows of an incomplete",
                "batch are scored again, new metrics and metrics scored differently are computed for earlier rows too.",
                "Exit codes: 0 every row scored; 1 some rows have an error (or --fail-on-error stopped); 2 fatal or usage error."})
final class ScoreCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--metric", required = true, split = ",", paramLabel = "M[,M2...]",
            description = "Metrics to compute (palate metrics lists them).")
    List<String> metrics;

    @Option(names = "--model", paramLabel = "[METRIC[:ROLE]=]PATH_OR_ID",
            description = "Weights: a folder, a file, a Hugging Face id or a ModelScope id (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--set", paramLabel = "METRIC:KEY=VALUE",
            description = "A metric's option, e.g. hpsv2:resize=antialias (repeatable; palate metrics lists them and their defaults).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--task", paramLabel = "TASK",
            description = "Judges: the task option of every metric that has one (unifiedreward-edit: pointwise, pairwise-rank, pairwise-score); a row's own \"task\" field wins.")
    String task;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Judges: the greedy decoding budget (default: each judge's own, as DiffSynth).")
    Integer maxNewTokens;

    @Option(names = "--dimensions", paramLabel = "D[,D2...]", description = "qwen-image-bench: the level-1 dimensions to judge (default: all five).")
    String dimensions;

    static final class Input {
        @Option(names = "--input", paramLabel = "MANIFEST", description = "JSONL or CSV manifest: image, prompt, extra fields.")
        Path manifest;

        @Option(names = "--images", paramLabel = "DIR", description = "A folder of images (recursive, sorted).")
        Path images;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--prompt", description = "With --images: the prompt of every image without a prompts file or sidecar .txt.")
    String prompt;

    @Option(names = "--output", required = true, description = "Output .jsonl (default) or .csv; an existing file is resumed.")
    Path output;

    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32, fp16 or bf16 for the towers (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--retry-errors", description = "On resume, score again the earlier rows that have an error (a file that now exists).")
    boolean retryErrors;

    @Option(names = "--fail-on-error", description = "Stop at the first row that fails (after writing its batch) and exit 1.")
    boolean failOnError;

    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "178956970",
            description = "Refuse images declaring more than N pixels, before decoding (decompression bombs); warn above N/2;"
                    + " 0 = no limit (default: ${DEFAULT-VALUE}, where Pillow raises DecompressionBombError).")
    long maxImagePixels;

    /** Exit codes: 0 every row scored, 1 some rows failed (or --fail-on-error stopped), 2 fatal or usage error. */
    static final int OK = 0, ROWS_FAILED = 1;

    /**
     * {@code --task}, {@code --max-new-tokens} and {@code --dimensions} are {@code --set METRIC:KEY=VALUE} for every
     * metric of the run that declares that option; an explicit {@code --set} for a metric wins.
     */
    private List<String> shorthands(List<String> explicit) {
        List<String> out = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        if (task != null) flags.put("task", task);
        if (maxNewTokens != null) flags.put("max-new-tokens", String.valueOf(maxNewTokens));
        if (dimensions != null) flags.put("dimensions", dimensions);
        flags.forEach((key, value) -> {
            boolean used = false;
            for (String m : metrics) {
                if (ScorerRegistry.factory(m).options().stream().noneMatch(o -> o.key().equals(key))) continue;
                used = true;
                if (explicit.stream().noneMatch(x -> x.startsWith(m + ":" + key + "="))) out.add(m + ":" + key + "=" + value);
            }
            if (!used) throw new IllegalArgumentException("--" + key + ": none of " + metrics + " takes it (palate metrics lists each metric's options)");
        });
        out.addAll(explicit);
        return out;
    }

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter err = spec.commandLine().getErr();
        try {
            return score(err);
        } finally {
            err.flush();
        }
    }

    private Integer score(java.io.PrintWriter err) throws Exception {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        if (maxImagePixels < 0) throw new IllegalArgumentException("--max-image-pixels must be 0 (no limit) or more, got " + maxImagePixels);
        if (input.manifest != null && sameFile(input.manifest, output))
            throw new IllegalArgumentException("--output " + output + " is the --input manifest: scoring would overwrite it; pass"
                    + " another --output");
        List<InputRow> rows = input.manifest != null ? ManifestReader.read(input.manifest)
                : FolderInput.read(input.images, prompt, w -> { err.println("palate: warning: " + w); err.flush(); });
        Map<String, ScorerOptions> options = optionsPerMetric();
        List<String> names = new ArrayList<>(options.keySet());
        List<RunProvenance.MetricRecord> records = provenance(options);
        RunProvenance.Record before = RunProvenance.readRecord(output);
        ScoresFile existing = ScoresFile.read(output);
        java.util.function.Function<Object, String> cell = ResultWriter.append(output, List.of(), 0)::cell;
        ResumePlan plan = ResumePlan.of(rows, names, records, existing, before, batchSize, retryErrors, cell);
        if (!existing.rows().isEmpty()) { // even with --quiet: what happens to earlier rows is not progress
            err.printf("palate: resuming %s: %d of %d rows there%n", output, existing.rows().size(), rows.size());
            for (String n : plan.notes()) err.println("palate: " + n);
        }
        if (plan.nothingToDo(rows.size())) {
            if (!quiet) err.printf("palate: %s is complete (%d rows, %d with errors%s)%n", output, rows.size(), plan.keptErrors(),
                    plan.keptErrors() > 0 ? "; --retry-errors scores them again" : "");
            return plan.keptErrors() > 0 ? ROWS_FAILED : OK;
        }
        List<RunProvenance.MetricRecord> ordered = plan.columns().stream().map(c -> records.get(names.indexOf(c))).toList();
        RowLayout layout = new RowLayout(plan.columns());
        List<String> csvColumns = existing.header() != null && !plan.rewrite() ? existing.header() : layout.csvColumns(rows);

        List<ScoreRun.Metric> loaded = new ArrayList<>();
        SharedModels shared = new SharedModels();
        try {
            for (String m : plan.columns()) {
                Scorer s = ScorerRegistry.create(m, options.get(m).toBuilder().shared(shared).build());
                loaded.add(new ScoreRun.Metric(m, s));
            }
            String mode = existing.rows().isEmpty() ? "new" : plan.rewrite() ? "rewrite" : "append";
            int touched = rows.size() - plan.start();
            for (int k = 0; k < plan.start(); k++) if (plan.earlier(k).touched()) touched++;
            RunProvenance.Run run = new RunProvenance.Run(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), ordered, mode,
                    batchSize, touched);
            RunProvenance.Record after = RunProvenance.after(existing.rows().isEmpty() ? null : before, ordered, run);
            if (!quiet) err.print("palate: provenance " + RunProvenance.toJson(output, after));
            ScoreRun.Decoding decoding = new ScoreRun.Decoding(DecodeLimits.of(maxImagePixels), PixelBudget.forHeap(),
                    w -> { err.println("palate: warning: " + w); err.flush(); });
            ScoreRun scoreRun = new ScoreRun(loaded, batchSize, decoding, failOnError);
            Progress progress = new Progress(touched, Progress.stderrIsTerminal(), quiet, System.err);
            ScoreRun.Summary summary;
            if (plan.rewrite()) {
                try (ResultWriter writer = ResultWriter.rewrite(output, csvColumns)) {
                    summary = scoreRun.run(rows, 0, k -> k < plan.start() ? plan.earlier(k) : null, writer, progress);
                    if (summary.stopped()) {
                        writer.discard();
                        err.printf("palate: --fail-on-error: stopped at a failed row; %s is left as it was%n", output);
                        return ROWS_FAILED;
                    }
                    writer.commit();
                }
                RunProvenance.write(output, after); // after the rows: a kill in between only makes the next run redo them
            } else {
                RunProvenance.write(output, after); // before the rows: every row appended is made as it says
                try (ResultWriter writer = ResultWriter.append(output, csvColumns, existing.offsetOfRow(plan.start()))) {
                    summary = scoreRun.run(rows, plan.start(), k -> null, writer, progress);
                }
            }
            progress.finish();
            int failedRows = summary.failed() + (plan.rewrite() ? 0 : plan.keptErrors());
            if (summary.stopped()) {
                err.printf("palate: --fail-on-error: stopped at a failed row after %d rows; rerun to go on%n", plan.start() + summary.written());
                return ROWS_FAILED;
            }
            if (failedRows > 0 && !quiet)
                err.printf("palate: %d of %d rows have errors (see their \"error\" field; --retry-errors scores them again)%n",
                        failedRows, rows.size());
            return failedRows > 0 ? ROWS_FAILED : OK;
        } finally {
            for (ScoreRun.Metric m : loaded) m.scorer().close();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** Splits the --model values per metric and role, and the --set values per metric (checked against each metric's options). */
    Map<String, ScorerOptions> optionsPerMetric() {
        Device dev = runtime.apply();
        List<String> canonical = new ArrayList<>();
        for (String m : metrics) canonical.add(ScorerRegistry.factory(m).name()); // unknown metric: fails here, listing the known ones
        metrics = canonical; // the shorthands name metrics as the registry spells them
        Map<String, ScorerOptions> out = MetricModels.parse(metrics, models, shorthands(settings), dev, DType.parse(dtype), batchSize);
        metrics = new ArrayList<>(out.keySet());
        return out;
    }

    /** What this run scores with, per metric (registry names, --metric order), for OUTPUT.meta.json. */
    private static List<RunProvenance.MetricRecord> provenance(Map<String, ScorerOptions> options) {
        List<RunProvenance.MetricRecord> records = new ArrayList<>();
        options.forEach((m, o) -> {
            ScorerFactory f = ScorerRegistry.factory(m);
            Set<String> roles = new LinkedHashSet<>(f.defaultModels().keySet());
            roles.addAll(o.models().keySet());
            Map<String, RunProvenance.ModelRecord> located = new TreeMap<>();
            for (String role : roles) {
                String spec = o.model(role) != null ? o.model(role) : f.defaultModels().get(role);
                Path path = locatedPath(spec);
                located.put(role, new RunProvenance.ModelRecord(spec, path == null ? null : path.toString(),
                        path == null ? null : ModelIdentity.of(path)));
            }
            records.add(new RunProvenance.MetricRecord(f.name(), f.settings(o), located, o.device().toString(), o.dtype().label()));
        });
        return records;
    }

    /**
     * Where {@code spec} is on this machine (absolute), or null (an optional role whose default is not cached); a
     * cache entry that is broken (refs/main naming a missing snapshot) is an error.
     */
    private static Path locatedPath(String spec) {
        if (spec == null) return null;
        try {
            return ModelLocator.system().locate(spec, List.of()).toAbsolutePath().normalize();
        } catch (dev.palate.models.ModelNotFoundException e) {
            if (e.getMessage().contains("refs/main")) throw e;
            return null;
        }
    }
}
