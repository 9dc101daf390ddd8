package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;

import dev.palate.models.ScoreResult;

/**
 * ScoreJob end to end in local[2] on inputs the test writes: img2dataset-style Parquet, a WebDataset shard and a
 * folder for binaryFile; the output's columns, keys, prompts and scores (against the scorers called directly, within
 * 1e-6 on the cosine, as PalateScorerParityTest) and the bad rows' errors.
 */
class ScoreJobEndToEndTest {
    static final String[] METRICS = {"hpsv2", "clip-score"};
    static final double[] TOLERANCE = {1e-6, 100 * 1e-6}; // 1e-6 on the cosine; clip-score is 100 x cosine

    @TempDir static Path dir;
    static List<SparkFixtures.Item> items;
    static List<ScoreResult> expected;

    @BeforeAll
    static void fixtures() {
        SparkFixtures.spark(); // started here, so the first test's time is its own
        items = SparkFixtures.items(dir);
        PalateScorer config = new PalateScorer().setMetrics(METRICS)
                .setModels("hpsv2=" + SparkFixtures.TINY, "clip-score=" + SparkFixtures.TINY).setBatchSize(4);
        expected = PalateScorerParityTest.reference(config.config(), items);
    }

    static List<String> job(String input, String format, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("--input", input, "--format", format, "--metric", String.join(",", METRICS),
                "--model", "hpsv2=" + SparkFixtures.TINY, "--model", "clip-score=" + SparkFixtures.TINY,
                "--batch-size", "4", "--output", output.toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void parquetWithImg2datasetColumnsGivesKeyPromptOneColumnPerMetricAndErrorAsJson() throws Exception {
        SparkSession spark = SparkFixtures.spark();
        StructType schema = new StructType().add("key", DataTypes.StringType).add("jpg", DataTypes.BinaryType)
                .add("caption", DataTypes.StringType).add("url", DataTypes.StringType);
        List<Row> rows = items.stream().map(it -> RowFactory.create(it.key(), it.bytes(), it.prompt(), "http://example/" + it.key())).toList();
        Path in = dir.resolve("shard.parquet"), out = dir.resolve("scores-json");
        spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), schema)
                .write().parquet(in.toString());

        ScoreJob.Summary s = ScoreJob.run(spark, job(in.toString(), "parquet", out, "--partitions", "3", "--output-format", "json")
                .toArray(String[]::new));
        System.out.println("parquet: " + s);
        assertEquals(items.size(), s.rows());
        assertEquals(1, s.failedRows());
        assertEquals(1, s.exitCode(), "a row with an error makes the job exit 1, as palate score does");
        assertEquals(3, s.partitions());

        List<Row> got = spark.read().json(out.toString()).collectAsList();
        assertEquals(List.of("clip-score", "error", "hpsv2", "key", "prompt"), sortedColumns(got.get(0)));
        Map<String, Row> byKey = byKey(got);
        for (int i = 0; i < items.size(); i++) {
            Row r = byKey.get(items.get(i).key());
            assertEquals(items.get(i).prompt(), r.getAs("prompt"));
            checkScores(r, i, i == items.size() - 1, items.get(i).key());
        }
    }

    @Test
    void webDatasetShardGivesOneRowPerSampleWithTxtOrJsonCaptionsAndAnErrorForTheSampleWithoutAnImage() throws Exception {
        SparkSession spark = SparkFixtures.spark();
        Path shards = Files.createDirectories(dir.resolve("wds"));
        WebDatasetShards tar = new WebDatasetShards();
        for (int i = 0; i < items.size(); i++) {
            SparkFixtures.Item it = items.get(i);
            String file = it.path().getFileName().toString();
            tar.add(it.key() + file.substring(file.lastIndexOf('.')), it.bytes());
            if (i % 2 == 0) tar.add(it.key() + ".txt", it.prompt());
            else tar.add(it.key() + ".json", "{\"caption\": " + new Gson().toJson(it.prompt()) + ", \"similarity\": 0.3}");
        }
        tar.add("99999.txt", "a caption without its image");
        tar.writeTo(shards.resolve("00000.tar"));
        Path out = dir.resolve("scores-wds");

        ScoreJob.Summary s = ScoreJob.run(spark, job(shards.toString(), "webdataset", out).toArray(String[]::new));
        System.out.println("webdataset: " + s);
        assertEquals(items.size() + 1, s.rows());
        assertEquals(2, s.failedRows());

        Map<String, Row> byKey = byKey(spark.read().parquet(out.toString()).collectAsList());
        assertEquals(items.size() + 1, byKey.size());
        for (int i = 0; i < items.size(); i++) {
            Row r = byKey.get(items.get(i).key());
            assertEquals(items.get(i).prompt(), r.getAs("prompt"), "caption of " + items.get(i).key());
            checkScores(r, i, i == items.size() - 1, "00000.tar:" + items.get(i).key() + ".png");
        }
        Row orphan = byKey.get("99999");
        assertNull(orphan.getAs("hpsv2"));
        assertTrue(orphan.<String>getAs("error").contains("99999 (no image member among .txt"), orphan.<String>getAs("error"));
    }

    @Test
    void binaryFileFolderTakesSidecarTxtPromptsElseThePromptFlag() throws Exception {
        SparkSession spark = SparkFixtures.spark();
        Path images = Files.createDirectories(dir.resolve("folder/sub"));
        SparkFixtures.Item a = items.get(4), b = items.get(9);
        Files.copy(a.path(), images.resolve("a.jpg"));
        Files.copy(b.path(), images.resolve("b.png"));
        Files.writeString(images.resolve("a.txt"), a.prompt());
        Path out = dir.resolve("scores-files");

        ScoreJob.Summary s = ScoreJob.run(spark, job(dir.resolve("folder").toString(), "binaryFile", out,
                "--prompt", b.prompt()).toArray(String[]::new));
        assertEquals(2, s.rows());
        assertEquals(0, s.failedRows());
        assertEquals(0, s.exitCode());
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : spark.read().parquet(out.toString()).collectAsList())
            byKey.put(Path.of(java.net.URI.create(r.<String>getAs("key"))).getFileName().toString(), r);
        assertEquals(a.prompt(), byKey.get("a.jpg").getAs("prompt"));
        assertEquals(b.prompt(), byKey.get("b.png").getAs("prompt"));
        checkScores(byKey.get("a.jpg"), 4, false, null);
        checkScores(byKey.get("b.png"), 9, false, null);
    }

    /** Row {@code i}'s scores against the direct scorers, or for the bad row nulls and an error naming {@code name}. */
    private static void checkScores(Row r, int i, boolean bad, String name) {
        if (bad) {
            for (String m : METRICS) assertNull(r.getAs(m), m);
            String e = r.getAs("error");
            assertTrue(e != null && e.contains(name), "error of the corrupt row: " + e);
            return;
        }
        assertNull(r.getAs("error"), "row " + i);
        for (int m = 0; m < METRICS.length; m++) {
            float got = ((Number) r.getAs(METRICS[m])).floatValue();
            assertEquals(expected.get(m).get(i), got, TOLERANCE[m], "row " + i + " " + METRICS[m]);
        }
    }

    private static Map<String, Row> byKey(List<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : rows) out.put(r.getAs("key"), r);
        return out;
    }

    private static List<String> sortedColumns(Row r) {
        return Arrays.stream(r.schema().fieldNames()).sorted().toList();
    }
}
