package dev.palate.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores an image dataset on a Spark cluster and writes Spark's directory of part files with the columns {@code key},
 * {@code prompt}, one float column per metric named as the metric, and {@code error}:
 *
 * <pre>
 * spark-submit --class dev.palate.spark.ScoreJob spark/target/palate-spark-VERSION.jar \
 *     --input s3a://bucket/laion/{00000..00099}.tar --format webdataset --metric aesthetic-v2,clip-score \
 *     --model aesthetic-v2=/models/sac+logos+ava1-l14-linearMSE.pth --output s3a://bucket/scores
 * </pre>
 *
 * Flags as {@code palate score} names them; {@code spark/run-local} runs it with plain {@code java} in local mode.
 * Exit codes: 0 done (rows with errors included), 2 a fatal or usage error.
 */
@Command(name = "ScoreJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score an image dataset with Palate metrics on Spark executors; writes key, prompt, one column per metric, error.",
        footer = {"", "Models: --model PATH_OR_ID for a single metric, or --model METRIC=PATH_OR_ID / METRIC:ROLE=PATH_OR_ID;",
                "paths and ids are resolved on the executors. Options: --set METRIC:KEY=VALUE (palate metrics lists them).",
                "Exit codes: 0 done (rows with errors included); 2 fatal or usage error."})
public final class ScoreJob implements Callable<Integer> {
    /** What a run did, from the tasks' accumulators. */
    public record Summary(long rows, long failedRows, long partitions, long modelLoads, double seconds) {
        public double rowsPerSecond() { return seconds > 0 ? rows / seconds : 0; }

        /** {@code palate score}'s convention: 0 every row scored, 1 one or more rows have an {@code error}. */
        public int exitCode() { return failedRows > 0 ? 1 : 0; }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d rows (%d with an error) in %d partitions, %.1f s (%.1f rows/s); models loaded %d time(s)",
                    rows, failedRows, partitions, seconds, rowsPerSecond(), modelLoads);
        }
    }

    enum Format { parquet, binaryFile, webdataset }

    enum OutputFormat { parquet, json }

    @Option(names = "--input", required = true, paramLabel = "DIR_OR_GLOB", description = "What to score: a folder or a glob (any Hadoop file system).")
    String input;

    @Option(names = "--format", required = true, description = "parquet, binaryFile (image files) or webdataset (.tar shards).")
    Format format;

    @Option(names = "--metric", required = true, split = ",", paramLabel = "M[,M2...]", description = "Metrics to compute (palate metrics lists them).")
    List<String> metrics;

    @Option(names = "--model", paramLabel = "[METRIC[:ROLE]=]PATH_OR_ID", description = "Weights: a folder, a file, a Hugging Face or ModelScope id (repeatable).")
    List<String> models = new ArrayList<>();

    @Option(names = "--set", paramLabel = "METRIC:KEY=VALUE", description = "A metric's option, e.g. hpsv2:resize=antialias (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda (the GPU Spark assigned to each task) or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32, fp16 or bf16 for the towers (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "libtorch intra-op threads per executor JVM (default: libtorch's choice).")
    int threads;

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the rows into N partitions before scoring.")
    Integer partitions;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory (Spark's part files).")
    String output;

    @Option(names = "--output-format", defaultValue = "parquet", description = "parquet or json (default: ${DEFAULT-VALUE}).")
    OutputFormat outputFormat;

    @Option(names = "--overwrite", description = "Replace an existing output directory (else an existing one is an error).")
    boolean overwrite;

    @Option(names = "--key-col", defaultValue = "key", description = "Parquet: the key column (default: ${DEFAULT-VALUE}).")
    String keyCol;

    @Option(names = "--image-col", description = "Parquet: the image column, bytes or paths (default: the first of image, jpg, png, webp).")
    String imageCol;

    @Option(names = "--prompt-col", description = "Parquet: the prompt column (default: the first of prompt, caption, txt).")
    String promptCol;

    @Option(names = "--prompt", description = "The prompt of every row that has none of its own (no column, sidecar .txt or caption).")
    String prompt;

    @Option(names = "--master", description = "Spark master, e.g. local[4] (spark-submit sets it otherwise).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting for the session this job starts (repeatable).")
    List<String> conf = new ArrayList<>();

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) System.exit(rc);
    }

    /**
     * Parses {@code args} as the command line does and runs the job on {@code spark} (left running); for tests and
     * for callers that hold a session.
     *
     * @throws IllegalArgumentException for a usage error
     */
    public static Summary run(SparkSession spark, String... args) {
        ScoreJob job = new ScoreJob();
        new CommandLine(job).parseArgs(args);
        return job.run(spark);
    }

    @Override
    public Integer call() {
        SparkSession.Builder b = SparkSession.builder().appName("palate ScoreJob");
        if (master != null) b.master(master);
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--conf " + kv + ": expected KEY=VALUE");
            b.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        SparkSession spark = b.getOrCreate();
        try {
            Summary s = run(spark);
            System.err.println("palate ScoreJob: " + s + "; wrote " + output + " (" + outputFormat + ")");
            return s.exitCode(); // a job whose rows failed does not report success to the scheduler
        } finally {
            spark.stop();
        }
    }

    Summary run(SparkSession spark) {
        PalateScorer scorer = new PalateScorer().setMetrics(metrics).setModels(models).setSettings(settings)
                .setDevice(device).setDtype(dtype).setBatchSize(batchSize).setThreads(threads)
                .setImageCol(JobInput.IMAGE).setPromptCol(JobInput.PROMPT).setNameCol(JobInput.NAME)
                .setOutputCols(metrics).setErrorCol("error");
        scorer.config().validate(); // a bad metric, model or option fails before any file is read
        if (partitions != null && partitions < 1) throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        long start = System.nanoTime();
        Dataset<Row> rows = switch (format) {
            case parquet -> JobInput.parquet(spark, input, keyCol, imageCol, promptCol, prompt);
            case binaryFile -> JobInput.binaryFiles(spark, input, prompt);
            case webdataset -> JobInput.webDataset(spark, input, prompt);
        };
        if (partitions != null) rows = rows.repartition(partitions);
        ScoringCounters counters = ScoringCounters.register(spark.sparkContext());
        List<Column> out = new ArrayList<>(List.of(col(JobInput.KEY), col(JobInput.PROMPT)));
        for (String m : metrics) out.add(col(JobInput.quoted(m)));
        out.add(col("error"));
        scorer.transformCounting(rows, counters).select(out.toArray(Column[]::new))
                .write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(outputFormat.name()).save(output);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Summary(counters.rows().value(), counters.failedRows().value(), counters.partitions().value(),
                counters.modelLoads().value(), seconds);
    }

    /** The command line with Palate's error handling: a failure prints its message and exits 2. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ScoreJob()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("palate ScoreJob: " + e.getMessage());
            if (Boolean.getBoolean("palate.debug")) e.printStackTrace(cmd.getErr());
            return 2;
        });
        return cli;
    }
}
