package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The transformer's params and schema checks, without a Spark job. */
class PalateScorerParamsTest {
    static final StructType INPUT = new StructType().add("key", DataTypes.StringType).add("image", DataTypes.BinaryType)
            .add("prompt", DataTypes.StringType);

    @Test
    void paramsAreSparkMlParamsWithDefaultsAndSurviveCopyAndListSettersForPy4j() {
        PalateScorer s = new PalateScorer().setMetrics(List.of("hpsv2", "clip-score")).setModels(List.of("hpsv2=/m"));
        assertEquals(List.of("batchSize", "device", "dtype", "errorCol", "imageCol", "metrics", "models", "nameCol", "outputCols",
                "outputPrefix", "promptCol", "settings", "threads"), Arrays.stream(s.params()).map(Param::name).toList());
        assertEquals(16, s.getBatchSize());
        assertEquals("cpu", s.getDevice());
        PalateScorer copy = s.copy(new ParamMap().put(s.batchSize().w(4)));
        assertEquals(s.uid(), copy.uid());
        assertArrayEquals(new String[] {"hpsv2", "clip-score"}, copy.getMetrics());
        assertEquals(4, copy.getBatchSize());
        assertTrue(s.explainParams().contains("metrics: metrics to compute"), s.explainParams());
    }

    @Test
    void savedAndLoadedAsASparkMlStageWithEveryParam() throws Exception {
        SparkFixtures.spark(); // MLWriter writes through the active session
        PalateScorer s = new PalateScorer().setMetrics("hpsv2", "clip-score").setModels("hpsv2=/m/a.pt").setSettings("hpsv2:resize=antialias")
                .setBatchSize(3).setDevice("cuda").setOutputCols("a", "b");
        Path dir = Files.createTempDirectory("palate-scorer");
        String path = dir.resolve("stage").toString();
        s.save(path);
        PalateScorer back = PalateScorer.load(path);
        assertEquals(s.uid(), back.uid());
        assertEquals(s.config(), back.config());
        assertArrayEquals(new String[] {"a", "b"}, back.getOutputCols());
    }

    @Test
    void theSchemaGainsOneNullableFloatPerMetricAndAnErrorString() {
        StructType out = new PalateScorer().setMetrics("hpsv2", "clip-score").setOutputPrefix("s_").transformSchema(INPUT);
        assertEquals(List.of("key", "image", "prompt", "s_hpsv2", "s_clip-score", "error"), Arrays.asList(out.fieldNames()));
        assertEquals(DataTypes.FloatType, out.apply("s_hpsv2").dataType());
        assertTrue(out.apply("s_hpsv2").nullable());
        assertEquals(DataTypes.StringType, out.apply("error").dataType());
    }

    @Test
    void badColumnsAndConfigurationsAreRefusedOnTheDriverWithWhatToSet() {
        assertRefused(new PalateScorer().setMetrics("hpsv2").setPromptCol("caption"), INPUT, "no prompt column 'caption'");
        assertRefused(new PalateScorer().setMetrics("hpsv2").setImageCol("key2"), INPUT, "set imageCol");
        assertRefused(new PalateScorer().setMetrics("hpsv2").setImageCol("n"), INPUT.add("n", DataTypes.IntegerType), "is int: it must hold");
        assertRefused(new PalateScorer().setMetrics("hpsv2").setOutputCols("prompt"), INPUT, "output column 'prompt' exists already");
        assertRefused(new PalateScorer().setMetrics("hpsv2", "ict").setOutputCols("a"), INPUT, "1 columns for 2 metrics");
        assertRefused(new PalateScorer(), INPUT, "no metric given");
        assertRefused(new PalateScorer().setMetrics("hpsv2").setDevice("tpu"), INPUT, "unknown device 'tpu'");
        assertRefused(new PalateScorer().setMetrics("hpsv2").setSettings("hpsv2:resize=bilinear"), INPUT, "resize=bilinear is not allowed");
        // an image-only metric needs no prompt column
        new PalateScorer().setMetrics("aesthetic-v2").transformSchema(new StructType().add("image", DataTypes.StringType));
    }

    private static void assertRefused(PalateScorer s, StructType schema, String expected) {
        String m = assertThrows(IllegalArgumentException.class, () -> s.transformSchema(schema)).getMessage();
        assertTrue(m.contains(expected), m);
    }
}
