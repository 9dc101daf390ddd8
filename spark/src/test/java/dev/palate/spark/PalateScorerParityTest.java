package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.Device;
import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/**
 * PalateScorer in local[2] against the same scorers called directly on the same rows (what {@code palate score}
 * does with each batch): the 10 fixture images and a corrupt one, as bytes and as paths, in 1, 3 and 7 partitions.
 */
class PalateScorerParityTest {
    static final String[] METRICS = {"hpsv2", "clip-score"};

    @TempDir Path dir;

    @BeforeAll
    static void startSpark() {
        SparkFixtures.spark(); // started here, so the first test's time is its own
    }

    @Test
    void withBatchSize1EveryScoreIsBitIdenticalToTheScorersAsBytesAndPathsIn1And3And7PartitionsAndModelsLoadOncePerJvm() {
        double[] maxDiff = runEverywhere(1, new double[] {0, 0});
        System.out.printf("batch 1: max abs diff hpsv2 %.3g, clip-score %.3g%n", maxDiff[0], maxDiff[1]);
    }

    /**
     * Batches of 4 rows per partition against the scorers' own batches of 4 over the whole list: the image and text
     * towers see other batch compositions, which moves the last float digits of the embeddings. Tolerance 1e-6 on
     * the cosine: hpsv2 is the cosine, clip-score 100 x the cosine (so 1e-4 on its scale).
     */
    @Test
    void withBatchSize4ScoresEqualTheScorersWithin1e6OnTheCosineAsBytesAndPathsIn1And3And7Partitions() {
        double[] maxDiff = runEverywhere(4, new double[] {1e-6, 100 * 1e-6});
        System.out.printf("batch 4: max abs diff hpsv2 %.3g, clip-score %.3g (%.3g on the cosine)%n", maxDiff[0], maxDiff[1], maxDiff[1] / 100);
    }

    /**
     * Scores the fixture rows as bytes and as paths in 7, 3 and 1 partitions (7 first: two task threads ask for the
     * models at once), checks every score against the direct scorers within {@code tolerance[metric]}, the bad row's
     * error, the counters, and that the configuration loaded once in this JVM; returns the max abs diff per metric.
     */
    private double[] runEverywhere(int batchSize, double[] tolerance) {
        SparkSession spark = SparkFixtures.spark();
        List<SparkFixtures.Item> items = SparkFixtures.items(dir);
        int bad = items.size() - 1;
        PalateScorer scorer = new PalateScorer().setMetrics(METRICS)
                .setModels("hpsv2=" + SparkFixtures.TINY, "clip-score=" + SparkFixtures.TINY).setBatchSize(batchSize);
        ScoringConfig config = scorer.config();
        List<ScoreResult> expected = reference(config, items);
        int loadedBefore = ExecutorModels.loads(config, Device.CPU);
        long loadsCounted = 0;
        double[] maxDiff = new double[METRICS.length];
        for (boolean binary : new boolean[] {true, false}) {
            for (int partitions : new int[] {7, 3, 1}) {
                Dataset<Row> df = frame(spark, items, binary, partitions);
                assertEquals(partitions, df.rdd().getNumPartitions());
                ScoringCounters counters = ScoringCounters.register(spark.sparkContext());
                Map<String, Row> byKey = new LinkedHashMap<>();
                for (Row r : scorer.transformCounting(df, counters).collectAsList()) byKey.put(r.getString(0), r);
                String where = (binary ? "bytes" : "paths") + ", " + partitions + " partitions, batch " + batchSize;
                assertEquals(items.size(), byKey.size(), where);
                for (int i = 0; i < items.size(); i++) {
                    Row r = byKey.get(items.get(i).key());
                    String error = r.getAs("error");
                    if (i == bad) {
                        assertNull(r.getAs("hpsv2"), where);
                        assertNull(r.getAs("clip-score"), where);
                        assertNotNull(error, where);
                        assertTrue(error.contains(binary ? items.get(i).key() : "corrupt.png"), where + ": " + error);
                        continue;
                    }
                    assertNull(error, where + " row " + i);
                    for (int m = 0; m < METRICS.length; m++) {
                        float got = r.<Float>getAs(METRICS[m]);
                        float want = expected.get(m).get(i);
                        maxDiff[m] = Math.max(maxDiff[m], Math.abs(got - want));
                        assertEquals(want, got, tolerance[m], where + " row " + i + " " + METRICS[m]);
                    }
                }
                assertEquals(partitions, counters.partitions().value(), where);
                assertEquals(items.size(), counters.rows().value(), where);
                assertEquals(1, counters.failedRows().value(), where);
                loadsCounted += counters.modelLoads().value();
            }
        }
        assertEquals(1, ExecutorModels.loads(config, Device.CPU), "one load per JVM, not per partition or task");
        assertEquals(1 - loadedBefore, loadsCounted, "the accumulator counts the same load");
        return maxDiff;
    }

    /** What the scorers give for the rows when called directly, one list per metric. */
    static List<ScoreResult> reference(ScoringConfig config, List<SparkFixtures.Item> items) {
        List<String> prompts = items.stream().map(SparkFixtures.Item::prompt).toList();
        List<ImageInput> images = items.stream().map(it -> ImageInput.of(it.path())).toList();
        List<ScoreResult> out = new ArrayList<>();
        for (Map.Entry<String, ScorerOptions> e : config.options(Device.CPU, new SharedModels()).entrySet())
            try (Scorer s = ScorerRegistry.create(e.getKey(), e.getValue())) {
                out.add(s.score(prompts, images));
            }
        return out;
    }

    /** key, image (binary bytes or string path), prompt; in exactly {@code partitions} partitions, rows in order. */
    static Dataset<Row> frame(SparkSession spark, List<SparkFixtures.Item> items, boolean binary, int partitions) {
        StructType schema = new StructType()
                .add("key", DataTypes.StringType)
                .add("image", binary ? DataTypes.BinaryType : DataTypes.StringType)
                .add("prompt", DataTypes.StringType);
        List<Row> rows = items.stream()
                .map(it -> RowFactory.create(it.key(), binary ? it.bytes() : it.path().toString(), it.prompt())).toList();
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema);
    }
}
