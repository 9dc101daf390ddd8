package dev.palate.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.decode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

import scala.Tuple2;

/**
 * What {@link ScoreJob} scores, read from each input format as the same four columns: {@code key} (what the output
 * rows are keyed by), {@code name} (how errors name the image), {@code image} (encoded bytes, or a path for Parquet
 * that holds paths) and {@code prompt} (null where there is none).
 */
final class JobInput {
    static final String KEY = "key", NAME = "name", IMAGE = "image", PROMPT = "prompt";
    /** The images binaryFile picks up (Hadoop's glob is case-sensitive). */
    static final String IMAGE_GLOB = "*.{jpg,jpeg,png,webp,bmp,gif,tif,tiff,JPG,JPEG,PNG,WEBP,BMP,GIF,TIF,TIFF}";

    private JobInput() {}

    /**
     * Parquet (img2dataset's or any): the key column (default {@code key}), the image column ({@code imageCol}, else
     * the first of image, jpg, png, webp; binary or string paths) and the prompt column ({@code promptCol}, else the
     * first of prompt, caption, txt; else {@code constantPrompt}).
     */
    static Dataset<Row> parquet(SparkSession spark, String input, String keyCol, String imageCol, String promptCol,
                                String constantPrompt) {
        Dataset<Row> df = spark.read().parquet(input);
        List<String> cols = Arrays.asList(df.columns());
        String key = require(cols, keyCol, "--key-col", input);
        String image = imageCol != null ? require(cols, imageCol, "--image-col", input) : firstPresent(cols, input, "--image-col", true,
                "image", "jpg", "png", "webp");
        String prompt = promptCol != null ? require(cols, promptCol, "--prompt-col", input) : firstPresent(cols, input, "--prompt-col", false,
                "prompt", "caption", "txt");
        Column p = prompt == null ? lit(constantPrompt).cast("string")
                : constantPrompt == null ? col(quoted(prompt)).cast("string") : coalesce(col(quoted(prompt)).cast("string"), lit(constantPrompt));
        return df.select(col(quoted(key)).cast("string").as(KEY), col(quoted(key)).cast("string").as(NAME),
                col(quoted(image)).as(IMAGE), p.as(PROMPT));
    }

    /**
     * Image files through Spark's {@code binaryFile} source: a folder (recursive) or a glob; the key is the file's
     * path. The prompt is a sidecar {@code .txt} with the same stem (for a folder), else {@code constantPrompt}.
     */
    static Dataset<Row> binaryFiles(SparkSession spark, String input, String constantPrompt) {
        boolean folder = isDirectory(spark, input);
        Dataset<Row> images = reader(spark, folder, IMAGE_GLOB).load(input)
                .select(col("path").as(KEY), col("path").as(NAME), col("content").as(IMAGE));
        Column constant = lit(constantPrompt).cast("string");
        if (!folder) return images.withColumn(PROMPT, constant);
        Dataset<Row> sidecars = reader(spark, true, "*.txt").load(input)
                .select(stem(col("path")).as("stem"), decode(col("content"), "UTF-8").as("sidecar"));
        if (sidecars.isEmpty()) return images.withColumn(PROMPT, constant);
        return images.withColumn("stem", stem(col(KEY))).join(sidecars, "stem", "left")
                .select(col(KEY), col(NAME), col(IMAGE), coalesce(col("sidecar"), constant).as(PROMPT));
    }

    /**
     * WebDataset shards: the {@code .tar} files of a folder, or a glob; one sample per key ({@link WebDatasetReader}),
     * keyed by {@code __key__}; a sample without a caption gets {@code constantPrompt}.
     */
    static Dataset<Row> webDataset(SparkSession spark, String input, String constantPrompt) {
        String pattern = isDirectory(spark, input) ? new Path(input, "*.tar").toString() : input;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = jsc.binaryFiles(pattern, jsc.defaultParallelism()).flatMap(new ShardRows(constantPrompt));
        StructType schema = new StructType().add(KEY, DataTypes.StringType).add(NAME, DataTypes.StringType)
                .add(IMAGE, DataTypes.BinaryType).add(PROMPT, DataTypes.StringType);
        return spark.createDataFrame(rows, schema);
    }

    /** One shard's samples as rows, streamed from the shard's file; the stream closes at its end or with the task. */
    private record ShardRows(String constantPrompt) implements FlatMapFunction<Tuple2<String, PortableDataStream>, Row> {
        @Override
        public Iterator<Row> call(Tuple2<String, PortableDataStream> shard) {
            String file = Paths.get(new Path(shard._1()).toUri().getPath()).getFileName().toString();
            WebDatasetReader samples = new WebDatasetReader(file, shard._2().open());
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener(new TaskCompletionListener() {
                    @Override
                    public void onTaskCompletion(TaskContext context) { samples.close(); }
                });
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() { return samples.hasNext(); }

                @Override
                public Row next() {
                    WebDatasetReader.Sample s = samples.next();
                    return RowFactory.create(s.key(), s.name(), s.image(), s.prompt() != null ? s.prompt() : constantPrompt);
                }
            };
        }
    }

    private static DataFrameReader reader(SparkSession spark, boolean recursive, String glob) {
        DataFrameReader r = spark.read().format("binaryFile").option("pathGlobFilter", glob);
        return recursive ? r.option("recursiveFileLookup", "true") : r;
    }

    /** The path without its last extension: {@code a/b.x.png} → {@code a/b.x}, so {@code b.x.png} pairs with {@code b.x.txt}. */
    private static Column stem(Column path) {
        return regexp_replace(path, "\\.[^./]*$", "");
    }

    private static boolean isDirectory(SparkSession spark, String input) {
        if (input.matches(".*[*?\\[{].*")) return false; // a glob
        try {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p) && fs.getFileStatus(p).isDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at --input " + input + ": " + e.getMessage(), e);
        }
    }

    private static String require(List<String> cols, String column, String flag, String input) {
        if (!cols.contains(column))
            throw new IllegalArgumentException(input + " has no column '" + column + "' (" + flag + "); its columns are " + cols);
        return column;
    }

    private static String firstPresent(List<String> cols, String input, String flag, boolean required, String... candidates) {
        for (String c : candidates) if (cols.contains(c)) return c;
        if (!required) return null;
        throw new IllegalArgumentException(input + " has none of the columns " + Arrays.toString(candidates) + "; its columns are "
                + cols + ": name the image column with " + flag);
    }

    /** A column name for col(): backquoted, since metric and column names may hold dots. */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
