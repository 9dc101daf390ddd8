package dev.palate.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores the images of a DataFrame with Palate metrics on the executors: a Spark ML {@link Transformer} that appends
 * one {@code float} column per metric (null where a row has no score) and an error column (null where every metric
 * scored the row).
 *
 * <pre>
 * Dataset&lt;Row&gt; scored = new PalateScorer()
 *         .setMetrics("hpsv2", "clip-score")
 *         .setModels("hpsv2=/models/HPS_v2_compressed.pt", "clip-score=openai/clip-vit-large-patch14")
 *         .setImageCol("jpg").setPromptCol("caption")
 *         .transform(spark.read().parquet("laion-shards/"));
 * </pre>
 *
 * <p>The image column is binary (encoded bytes, as {@code binaryFile}, img2dataset's Parquet and WebDataset give them)
 * or a string (a local path, {@code file:} URI or any Hadoop file system URI). Each executor JVM loads the models
 * once, on the first task that needs them, keyed by this transformer's configuration and the task's device; every
 * task thread of that JVM shares them, and they are closed when the JVM exits. Partitions are scored in batches of
 * {@code batchSize} rows, the next batch decoded and preprocessed while the models score the current one. A row whose
 * image cannot be read, or that has no prompt for a metric that needs one, gets nulls and a message naming the image
 * in the error column; the other rows are scored and the job goes on.
 *
 * <p>Params use {@code palate score}'s terms: {@code models} holds its {@code --model} values
 * ({@code [METRIC[:ROLE]=]PATH_OR_ID}), {@code settings} its {@code --set} values ({@code METRIC:KEY=VALUE}). Paths
 * and ids are resolved on the executors, so the weights must be there (a shared file system, or the same Hugging
 * Face cache on every node). {@code device=cuda} scores on the GPU Spark assigned to the task ({@link TaskDevice}).
 * The setters that take lists accept a {@code java.util.List} too, for PySpark's py4j. Saved and loaded with its
 * params like any Spark ML stage ({@code save(path)}, {@link #load}), also inside a {@code Pipeline}.
 */
public final class PalateScorer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StringArrayParam metrics;
    private final StringArrayParam models;
    private final StringArrayParam settings;
    private final Param<String> device;
    private final Param<String> dtype;
    private final IntParam batchSize;
    private final IntParam threads;
    private final Param<String> imageCol;
    private final Param<String> promptCol;
    private final Param<String> nameCol;
    private final StringArrayParam outputCols;
    private final Param<String> outputPrefix;
    private final Param<String> errorCol;

    public PalateScorer() {
        this("palateScorer_" + UUID.randomUUID().toString().substring(24));
    }

    /** With a given uid (Spark ML's copy and PySpark's wrapper construct it so). */
    public PalateScorer(String uid) {
        this.uid = uid; // before the params, which record it as their parent
        metrics = new StringArrayParam(this, "metrics", "metrics to compute, registry names (palate metrics lists them), e.g. hpsv2, clip-score");
        models = new StringArrayParam(this, "models", "weights as palate score's --model: [METRIC[:ROLE]=]PATH_OR_ID, a folder, file,"
                + " Hugging Face or ModelScope id, resolved on the executors");
        settings = new StringArrayParam(this, "settings", "metric options as palate score's --set: METRIC:KEY=VALUE");
        device = new Param<>(this, "device", "cpu, cuda (the GPU Spark assigned to the task) or cuda:N");
        dtype = new Param<>(this, "dtype", "the towers' dtype: fp32, fp16 or bf16");
        batchSize = new IntParam(this, "batchSize", "images per forward pass and rows per batch of a partition (at least 1)");
        threads = new IntParam(this, "threads", "libtorch intra-op threads of each executor JVM (process-wide); 0 for libtorch's choice");
        imageCol = new Param<>(this, "imageCol", "the image column: binary (encoded bytes) or string (a path or URI)");
        promptCol = new Param<>(this, "promptCol", "the prompt column (string); needed by prompt-using metrics");
        nameCol = new Param<>(this, "nameCol", "the column naming rows in error messages; empty: key, __key__ or path when present");
        outputCols = new StringArrayParam(this, "outputCols", "one output column per metric; empty: outputPrefix + the metric's name");
        outputPrefix = new Param<>(this, "outputPrefix", "prefix of the default output column names");
        errorCol = new Param<>(this, "errorCol", "the column for why a row has no score (null when it has all)");
        setDefault(models, new String[0]);
        setDefault(settings, new String[0]);
        setDefault(device, "cpu");
        setDefault(dtype, "fp32");
        setDefault(batchSize, 16);
        setDefault(threads, 0);
        setDefault(imageCol, "image");
        setDefault(promptCol, "prompt");
        setDefault(nameCol, "");
        setDefault(outputCols, new String[0]);
        setDefault(outputPrefix, "");
        setDefault(errorCol, "error");
    }

    /** Spark ML's reader for saved instances (what {@code Pipeline.load} calls). */
    public static MLReader<PalateScorer> read() { return new DefaultParamsReader<>(); }

    /** An instance saved with {@code save(path)}. */
    public static PalateScorer load(String path) { return read().load(path); }

    @Override
    public String uid() { return uid; }

    public StringArrayParam metrics() { return metrics; }
    public StringArrayParam models() { return models; }
    public StringArrayParam settings() { return settings; }
    public Param<String> device() { return device; }
    public Param<String> dtype() { return dtype; }
    public IntParam batchSize() { return batchSize; }
    public IntParam threads() { return threads; }
    public Param<String> imageCol() { return imageCol; }
    public Param<String> promptCol() { return promptCol; }
    public Param<String> nameCol() { return nameCol; }
    public StringArrayParam outputCols() { return outputCols; }
    public Param<String> outputPrefix() { return outputPrefix; }
    public Param<String> errorCol() { return errorCol; }

    public PalateScorer setMetrics(String... v) { set(metrics, v.clone()); return this; }
    public PalateScorer setMetrics(List<String> v) { return setMetrics(v.toArray(String[]::new)); }
    public PalateScorer setModels(String... v) { set(models, v.clone()); return this; }
    public PalateScorer setModels(List<String> v) { return setModels(v.toArray(String[]::new)); }
    public PalateScorer setSettings(String... v) { set(settings, v.clone()); return this; }
    public PalateScorer setSettings(List<String> v) { return setSettings(v.toArray(String[]::new)); }
    public PalateScorer setDevice(String v) { set(device, v); return this; }
    public PalateScorer setDtype(String v) { set(dtype, v); return this; }
    public PalateScorer setBatchSize(int v) { set(batchSize, v); return this; }
    public PalateScorer setThreads(int v) { set(threads, v); return this; }
    public PalateScorer setImageCol(String v) { set(imageCol, v); return this; }
    public PalateScorer setPromptCol(String v) { set(promptCol, v); return this; }
    public PalateScorer setNameCol(String v) { set(nameCol, v); return this; }
    public PalateScorer setOutputCols(String... v) { set(outputCols, v.clone()); return this; }
    public PalateScorer setOutputCols(List<String> v) { return setOutputCols(v.toArray(String[]::new)); }
    public PalateScorer setOutputPrefix(String v) { set(outputPrefix, v); return this; }
    public PalateScorer setErrorCol(String v) { set(errorCol, v); return this; }

    public String[] getMetrics() { return isDefined(metrics) ? getOrDefault(metrics).clone() : new String[0]; }
    public String[] getModels() { return getOrDefault(models).clone(); }
    public String[] getSettings() { return getOrDefault(settings).clone(); }
    public String getDevice() { return getOrDefault(device); }
    public String getDtype() { return getOrDefault(dtype); }
    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }
    public int getThreads() { return (Integer) getOrDefault(threads); }
    public String getImageCol() { return getOrDefault(imageCol); }
    public String getPromptCol() { return getOrDefault(promptCol); }
    public String getNameCol() { return getOrDefault(nameCol); }
    public String[] getOutputCols() { return getOrDefault(outputCols).clone(); }
    public String getOutputPrefix() { return getOrDefault(outputPrefix); }
    public String getErrorCol() { return getOrDefault(errorCol); }

    /** The score columns, in metric order: {@code outputCols}, else {@code outputPrefix} + each metric's name. */
    public String[] outputColumns() {
        String[] m = getMetrics(), given = getOutputCols();
        if (given.length == 0) return Arrays.stream(m).map(x -> getOutputPrefix() + x).toArray(String[]::new);
        if (given.length != m.length)
            throw new IllegalArgumentException("outputCols names " + given.length + " columns for " + m.length + " metrics "
                    + Arrays.toString(m) + ": give one per metric, or none to use outputPrefix + the metric's name");
        return given;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return transformCounting(dataset, null);
    }

    /** As {@link #transform(Dataset)}, counting partitions, rows, failures and model loads in {@code counters}. */
    Dataset<Row> transformCounting(Dataset<?> dataset, ScoringCounters counters) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        int prompt = Arrays.asList(in.fieldNames()).contains(getPromptCol()) ? in.fieldIndex(getPromptCol()) : -1;
        ScorePartition task = new ScorePartition(config(), in.fieldIndex(getImageCol()), prompt, nameIndex(in), counters);
        return dataset.toDF().mapPartitions(task, Encoders.row(out));
    }

    /**
     * The input schema plus one nullable float column per metric and the nullable string error column.
     *
     * @throws IllegalArgumentException for a bad configuration (checked without loading a model), a missing or
     *                                  mistyped image or prompt column, or an output column that exists already
     */
    @Override
    public StructType transformSchema(StructType schema) {
        ScoringConfig config = config();
        config.validate();
        Set<String> present = new HashSet<>(Arrays.asList(schema.fieldNames()));
        DataType image = typeOf(schema, present, getImageCol(), "imageCol");
        if (!image.equals(DataTypes.BinaryType) && !image.equals(DataTypes.StringType))
            throw new IllegalArgumentException("image column '" + getImageCol() + "' is " + image.simpleString()
                    + ": it must hold encoded image bytes (binary) or paths (string)");
        if (present.contains(getPromptCol())) {
            DataType p = schema.apply(getPromptCol()).dataType();
            if (!p.equals(DataTypes.StringType))
                throw new IllegalArgumentException("prompt column '" + getPromptCol() + "' is " + p.simpleString() + ", not string");
        } else if (config.usesPrompt()) {
            throw new IllegalArgumentException("no prompt column '" + getPromptCol() + "' among " + present + ", and "
                    + promptMetrics(config) + " need one: set promptCol");
        }
        if (!getNameCol().isEmpty()) typeOf(schema, present, getNameCol(), "nameCol");
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        Set<String> added = new HashSet<>();
        List<String> outputs = new ArrayList<>(Arrays.asList(outputColumns()));
        outputs.add(getErrorCol());
        for (int i = 0; i < outputs.size(); i++) {
            String c = outputs.get(i);
            if (present.contains(c) || !added.add(c))
                throw new IllegalArgumentException("output column '" + c + "' exists already: set outputCols, outputPrefix or errorCol");
            fields.add(DataTypes.createStructField(c, i < outputs.size() - 1 ? DataTypes.FloatType : DataTypes.StringType, true));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public PalateScorer copy(ParamMap extra) {
        return (PalateScorer) defaultCopy(extra);
    }

    /** The configuration the executors load, as the params give it. */
    ScoringConfig config() {
        return new ScoringConfig(List.of(getMetrics()), List.of(getModels()), List.of(getSettings()), getDevice(), getDtype(),
                getBatchSize(), getThreads());
    }

    private int nameIndex(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!getNameCol().isEmpty()) return schema.fieldIndex(getNameCol());
        for (String c : List.of("key", "__key__", "path")) if (names.contains(c)) return schema.fieldIndex(c);
        return -1;
    }

    private static DataType typeOf(StructType schema, Set<String> present, String column, String param) {
        if (!present.contains(column))
            throw new IllegalArgumentException("no column '" + column + "' (" + param + ") among " + Arrays.toString(schema.fieldNames())
                    + ": set " + param);
        return schema.apply(column).dataType();
    }

    private static List<String> promptMetrics(ScoringConfig config) {
        return config.metricInfos().stream().filter(m -> m.usesPrompt()).map(m -> m.name()).toList();
    }
}
