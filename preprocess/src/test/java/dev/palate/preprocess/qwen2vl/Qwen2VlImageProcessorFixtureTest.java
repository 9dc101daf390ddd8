package dev.palate.preprocess.qwen2vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsFile;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;

/**
 * HPSv3's path and the generic Qwen2-VL processor against testdata/hpsv3 (transformers 5.18
 * {@code Qwen2VLImageProcessorPil}, Pillow 12.3, NumPy 2.3; testdata/README.md {@code hpsv3/}).
 * Tolerances: resized images exact (uint8), grids exact, pixel values 1e-5 absolute, float64 sums 1e-6 relative.
 */
class Qwen2VlImageProcessorFixtureTest {
    private static final Path HPSV3 = Path.of(System.getProperty("palate.testdata")).resolve("hpsv3");
    private static final List<String> IMAGES = List.of("01_rgb.jpg", "02_shapes.png", "03_rgba.png", "04_gray.png",
            "05_palette.png", "06_cmyk.jpg", "07_tiny.png", "08_large.jpg", "09_wide.png");
    private static final float TOLERANCE = 1e-5f;
    private static final double SUM_TOLERANCE = 1e-6;
    private static final int EDGE_ROWS = 8;

    private static SafetensorsFile preprocess;

    @BeforeAll
    static void open() { preprocess = SafetensorsFile.open(HPSV3.resolve("preprocess.safetensors")); }

    @AfterAll
    static void close() { preprocess.close(); }

    private static DecodedImage image(String name) { return ImageDecoder.decode(HPSV3.resolve("images").resolve(name)); }

    private static String pngName(String name) { return name.substring(0, name.lastIndexOf('.')) + ".png"; }

    @Test
    void fetchImageEqualsHpsv3ResizedPngsInEveryPixelForAllNineImages() {
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.hpsv3();
        for (String name : IMAGES) {
            DecodedImage want = ImageDecoder.decode(HPSV3.resolve("resized").resolve(pngName(name)));
            DecodedImage got = p.fetchImage(image(name));
            assertEquals(want.width() + "x" + want.height(), got.width() + "x" + got.height(), name);
            byte[] w = want.rgbBytes(), g = got.rgbBytes();
            int differing = 0;
            for (int i = 0; i < w.length; i++) if (w[i] != g[i]) differing++;
            assertEquals(0, differing, name + ": samples differing from the resized PNG");
        }
    }

    @Test
    void hpsv3PixelValuesMatchHeadAndTailWithin1e5AndSumsWithin1e6RelativeForAllNineImages() {
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.hpsv3();
        Map<String, String> measured = new LinkedHashMap<>();
        for (String name : IMAGES) {
            VisionPatches v = p.process(image(name));
            assertArrayEquals(longs("image_grid_thw/" + name), v.gridThw(), name);
            assertEquals(1176, v.patchDim());
            float[] head = floats("pixel_values_head/" + name), tail = floats("pixel_values_tail/" + name);
            int d = v.patchDim(), n = EDGE_ROWS * d;
            float maxHead = maxAbsDiff(v.pixelValues(), 0, head), maxTail = maxAbsDiff(v.pixelValues(), v.pixelValues().length - n, tail);
            double sum = 0, abs = 0;
            for (float x : v.pixelValues()) {
                sum += x;
                abs += Math.abs(x);
            }
            double wantSum = doubles("pixel_sum/" + name)[0], wantAbs = doubles("pixel_abs_sum/" + name)[0];
            double relSum = Math.abs(sum - wantSum) / Math.abs(wantSum), relAbs = Math.abs(abs - wantAbs) / wantAbs;
            measured.put(name, String.format("head %.3g tail %.3g sum %.3g abs %.3g", maxHead, maxTail, relSum, relAbs));
            assertTrue(maxHead <= TOLERANCE && maxTail <= TOLERANCE, name + ": " + measured.get(name));
            assertTrue(relSum <= SUM_TOLERANCE && relAbs <= SUM_TOLERANCE, name + ": " + measured.get(name));
        }
        System.out.println("HPSv3 pixel_values vs transformers 5.18: " + measured);
    }

    @Test
    void genericProcessorFromTheConfigMatchesEveryRowWithin1e5ForRgbaPaletteAndTinyImages() {
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.fromPreprocessorConfig(HPSV3.resolve("hpsv3-tiny"));
        Map<String, Float> measured = new LinkedHashMap<>();
        for (String name : List.of("03_rgba.png", "05_palette.png", "07_tiny.png")) {
            VisionPatches v = p.process(image(name));
            assertArrayEquals(longs("generic/image_grid_thw/" + name), v.gridThw(), name);
            float[] want = floats("generic/pixel_values/" + name);
            assertEquals(want.length, v.pixelValues().length, name);
            measured.put(name, maxAbsDiff(v.pixelValues(), 0, want));
        }
        // 5.18 scales a side under 28 up where 4.46 raised: 20x30 -> 56x84, grid 4x6.
        assertArrayEquals(new long[] {1, 6, 4}, longs("generic/image_grid_thw/07_tiny.png"));
        System.out.println("generic Qwen2-VL pixel_values max abs diff: " + measured);
        measured.forEach((name, d) -> assertTrue(d <= TOLERANCE, name + ": max abs diff " + d));
    }

    @Test
    void whiteCompositeConventionMatchesTransformers446OnTheRgbaImageWithin1e5AndDiffersFromDrop() {
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.fromPreprocessorConfig(HPSV3.resolve("hpsv3-tiny"))
                .withAlphaConvention(AlphaConvention.COMPOSITE_ON_WHITE);
        DecodedImage rgba = image("03_rgba.png");
        float[] want = floats("generic_white/pixel_values/03_rgba.png");
        float[] got = p.process(rgba).pixelValues();
        float max = maxAbsDiff(got, 0, want);
        System.out.println("generic_white 03_rgba max abs diff: " + max);
        assertTrue(max <= TOLERANCE, "max abs diff " + max);
        float dropped = maxAbsDiff(p.withAlphaConvention(AlphaConvention.DROP).process(rgba).pixelValues(), 0, want);
        assertTrue(dropped > 0.5f, "the conventions should differ on a transparent band, max diff " + dropped);
    }

    @Test
    void batchOfTheFourPairImagesMatchesExpectedPixelValuesInEveryRowWithin1e5() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(HPSV3.resolve("pairs.jsonl")))
            if (!line.isBlank()) names.add(JsonParser.parseString(line).getAsJsonObject().get("image").getAsString());
        assertEquals(4, names.size());
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.hpsv3();
        List<VisionPatches> each = names.parallelStream().map(n -> p.process(image(n))).toList();
        try (SafetensorsFile expected = SafetensorsFile.open(HPSV3.resolve("expected.safetensors"))) {
            assertArrayEquals(new long[] {4008, 1176}, expected.info("pixel_values").shape());
            float[] want = Tensors.toFloats(expected.tensor("pixel_values"));
            float[] got = VisionPatches.concatenate(each);
            assertEquals(want.length, got.length);
            float max = maxAbsDiff(got, 0, want);
            System.out.println("expected.safetensors pixel_values [4008,1176] max abs diff: " + max);
            assertTrue(max <= TOLERANCE, "max abs diff " + max);
            long[] grids = Tensors.toLongs(expected.tensor("image_grid_thw"));
            for (int i = 0; i < 4; i++)
                assertArrayEquals(java.util.Arrays.copyOfRange(grids, 3 * i, 3 * i + 3), each.get(i).gridThw(), names.get(i));
        }
    }

    private static float[] floats(String key) { return Tensors.toFloats(preprocess.tensor(key)); }

    private static double[] doubles(String key) { return Tensors.toDoubles(preprocess.tensor(key)); }

    private static long[] longs(String key) { return Tensors.toLongs(preprocess.tensor(key)); }

    /** max |got[from + i] − want[i]| over want. */
    private static float maxAbsDiff(float[] got, int from, float[] want) {
        float m = 0;
        for (int i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[from + i] - want[i]));
        return m;
    }
}
