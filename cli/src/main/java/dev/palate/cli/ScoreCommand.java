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

import dev.palate.cli.run.FolderInput;
import dev.palate.cli.run.InputRow;
import dev.palate.cli.run.ManifestReader;
import dev.palate.cli.run.Progress;
import dev.palate.cli.run.ResultWriter;
import dev.palate.cli.run.RunProvenance;
import dev.palate.cli.run.ScoreRun;
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
                "The options, models, device and dtype of each run are recorded in OUTPUT.meta.json."})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--metric", required = true, split = ",", paramLabel = "M[,M2...]",
            description = "Metrics to compute (palate metrics lists them).")
    List<String> metrics;

    @Option(names = "--model", paramLabel = "[METRIC[:ROLE]=]PATH_OR_ID",
            description = "Weights: a folder, a file, a Hugging Face id or a ModelScope id (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--set", paramLabel = "METRIC:KEY=VALUE",
            description = "A metric's option, e.g. hpsv2:resize=antialias (repeatable; palate metrics lists them and their defaults).")
    List<String> settings = new ArrayList<>();

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

    @Override
    public Integer call() throws Exception {
        List<InputRow> rows = input.manifest != null ? ManifestReader.read(input.manifest) : FolderInput.read(input.images, prompt);
        Map<String, ScorerOptions> options = optionsPerMetric();
        RunProvenance.requireResumable(output, resolvedSettings(options));
        List<ScoreRun.Metric> loaded = new ArrayList<>();
        SharedModels shared = new SharedModels();
        try (ResultWriter writer = ResultWriter.open(output, ResultWriter.csvColumns(rows, metricColumns()))) {
            try {
                for (String m : metrics) {
                    Scorer s = ScorerRegistry.create(m, options.get(m).toBuilder().shared(shared).build());
                    loaded.add(new ScoreRun.Metric(m, s));
                }
                ScoreRun run = new ScoreRun(loaded, batchSize, writer);
                List<InputRow> pending = run.pending(rows);
                if (!pending.isEmpty()) RunProvenance.append(output, provenance(options));
                if (!quiet && pending.size() < rows.size())
                    System.err.printf("palate: resuming %s: %d of %d rows already scored%n", output, rows.size() - pending.size(), rows.size());
                Progress progress = new Progress(pending.size(), Progress.stderrIsTerminal(), quiet, System.err);
                ScoreRun.Summary summary = run.run(rows, progress);
                progress.finish();
                return summary.failed() > 0 && summary.scored() == 0 ? 1 : 0;
            } finally {
                for (ScoreRun.Metric m : loaded) m.scorer().close();
            }
        }
    }

    private List<String> metricColumns() {
        return metrics.size() == 1 ? List.of("metric", "score") : metrics;
    }

    /** Splits the --model values per metric and role, and the --set values per metric (checked against each metric's options). */
    Map<String, ScorerOptions> optionsPerMetric() {
        Map<String, ScorerOptions.Builder> builders = new LinkedHashMap<>();
        Device dev = runtime.apply();
        DType dt = DType.parse(dtype);
        for (String m : metrics) {
            ScorerRegistry.factory(m); // unknown metric: fails here, listing the known ones
            builders.put(m, ScorerOptions.builder().device(dev).dtype(dt).batchSize(batchSize));
        }
        for (String spec : models) {
            int eq = spec.indexOf('=');
            String target = eq < 0 ? null : spec.substring(0, eq);
            String location = eq < 0 ? spec : spec.substring(eq + 1);
            if (target == null || !looksLikeMetric(target)) {
                if (metrics.size() != 1)
                    throw new IllegalArgumentException("--model " + spec + ": with several metrics name the metric, e.g. --model "
                            + metrics.get(0) + "=" + spec);
                builders.get(metrics.get(0)).model(spec);
                continue;
            }
            String metric = target, role = ScorerOptions.MODEL;
            int colon = target.indexOf(':');
            if (colon >= 0) {
                metric = target.substring(0, colon);
                role = target.substring(colon + 1);
            }
            ScorerOptions.Builder b = builders.get(metric);
            if (b == null) throw new IllegalArgumentException("--model " + spec + ": metric '" + metric + "' is not among --metric " + metrics);
            b.model(role, location);
        }
        MetricSettings.parse(settings, metrics).forEach((m, kv) -> MetricSettings.apply(builders.get(m), kv));
        Map<String, ScorerOptions> out = new LinkedHashMap<>();
        builders.forEach((k, v) -> out.put(k, v.build()));
        resolvedSettings(out); // a bad --set fails before any model loads
        return out;
    }

    /** Registry name → every declared option of the metric with defaults filled in. */
    private static Map<String, Map<String, String>> resolvedSettings(Map<String, ScorerOptions> options) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        options.forEach((m, o) -> {
            ScorerFactory f = ScorerRegistry.factory(m);
            out.put(f.name(), f.settings(o));
        });
        return out;
    }

    /** What this run scores with, per metric, for OUTPUT.meta.json. */
    private static RunProvenance.Run provenance(Map<String, ScorerOptions> options) {
        List<RunProvenance.MetricRecord> records = new ArrayList<>();
        options.forEach((m, o) -> {
            ScorerFactory f = ScorerRegistry.factory(m);
            Set<String> roles = new LinkedHashSet<>(f.defaultModels().keySet());
            roles.addAll(o.models().keySet());
            Map<String, RunProvenance.ModelRecord> located = new TreeMap<>();
            for (String role : roles) {
                String spec = o.model(role) != null ? o.model(role) : f.defaultModels().get(role);
                located.put(role, new RunProvenance.ModelRecord(spec, locatedPath(spec)));
            }
            records.add(new RunProvenance.MetricRecord(f.name(), f.settings(o), located, o.device().toString(), o.dtype().label()));
        });
        return new RunProvenance.Run(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), records);
    }

    /** Where {@code spec} is on this machine (absolute), or null (an optional role whose default is not cached). */
    private static String locatedPath(String spec) {
        try {
            return ModelLocator.system().locate(spec, List.of()).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private boolean looksLikeMetric(String target) {
        String metric = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        return ScorerRegistry.names().contains(metric.toLowerCase());
    }
}
