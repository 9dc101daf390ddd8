package dev.palate.preprocess.qwen2vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.Normalization;
import dev.palate.preprocess.PilMode;

/** preprocessor_config.json parsing (transformers 5.18 Qwen2VLImageProcessorPil.__init__ semantics) and patch layout. */
class Qwen2VlImageConfigTest {
    @TempDir Path dir;

    private Qwen2VlImageConfig read(String json) throws IOException {
        Path f = dir.resolve("preprocessor_config.json");
        Files.writeString(f, json);
        return Qwen2VlImageConfig.read(dir);
    }

    @Test
    void theHpsv3TinyConfigIsQwen2Vl7bInstructs() {
        Path testdata = Path.of(System.getProperty("palate.testdata"));
        assertEquals(Qwen2VlImageConfig.qwen2Vl7bInstruct(), Qwen2VlImageConfig.read(testdata.resolve("hpsv3/hpsv3-tiny")));
    }

    @Test
    void minAndMaxPixelsOverrideSizeAndAbsentKeysTakeTheClassDefaults() throws IOException {
        Qwen2VlImageConfig c = read("""
                {"size": {"shortest_edge": 1000, "longest_edge": 2000000}, "max_pixels": 500000, "patch_size": 16,
                 "do_rescale": false, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""");
        assertEquals(1000, c.minPixels());
        assertEquals(500000, c.maxPixels());
        assertEquals(16, c.patchSize());
        assertEquals(32, c.factor());
        assertEquals(3 * 2 * 16 * 16, c.patchDim());
        assertTrue(Double.isNaN(c.rescaleFactor()));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, c.normalization().std());
        assertEquals(Qwen2VlImageConfig.defaults(), read("{}"));
        assertNull(read("{\"do_normalize\": false}").normalization());
        assertEquals(123, read("{\"size\": {\"min_pixels\": 123, \"max_pixels\": 456}}").minPixels());
    }

    @Test
    void unsupportedValuesAreErrorsNamingTheFileAndTheField() {
        for (String[] c : new String[][] {{"{\"resample\": 2}", "resample"}, {"{\"do_convert_rgb\": false}", "do_convert_rgb"},
                {"{\"size\": {\"height\": 224, \"width\": 224}}", "shortest_edge"},
                {"{\"image_processor_type\": \"CLIPImageProcessor\"}", "image_processor_type"},
                {"{\"image_mean\": [0.5]}", "image_mean"}, {"{\"min_pixels\": 10, \"max_pixels\": 5}", "min_pixels"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(c[0]), c[0]);
            assertTrue(e.getMessage().contains("preprocessor_config.json") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void patchRowsFollowTheMergeWindowsAndColumnsAreChannelTimePatch() {
        // A 56x28 (w x h) image whose red byte is the patch index in plain raster order: grid 2x4, merge windows 2x2.
        int w = 56, h = 28;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) ((y / 14) * 4 + x / 14);
                rgb[(y * w + x) * 3 + 1] = (byte) (y % 14);
                rgb[(y * w + x) * 3 + 2] = (byte) (x % 14);
            }
        Qwen2VlImageConfig raw = new Qwen2VlImageConfig(0, 1 << 30, 14, 2, 2, false, Double.NaN, null);
        VisionPatches v = Qwen2VlImageProcessor.of(raw).process(DecodedImage.ofRgb("grid", w, h, rgb));
        assertArrayEquals(new long[] {1, 2, 4}, v.gridThw());
        assertEquals(2, v.mergedTokens(2));
        int[] rasterOfRow = {0, 1, 4, 5, 2, 3, 6, 7}; // window (0,0): patches 0,1,4,5; window (0,1): 2,3,6,7
        for (int row = 0; row < 8; row++) {
            for (int t = 0; t < 2; t++) {
                for (int k = 0; k < 196; k++) {
                    int base = row * 1176 + t * 196 + k;
                    assertEquals(rasterOfRow[row], v.pixelValues()[base], 0f, "R row " + row);
                    assertEquals(k / 14, v.pixelValues()[base + 2 * 196], 0f, "G row " + row);
                    assertEquals(k % 14, v.pixelValues()[base + 4 * 196], 0f, "B row " + row);
                }
            }
        }
    }

    @Test
    void withoutResizeASizeOffTheFactorIsAnErrorNamingTheImage() {
        Qwen2VlImageConfig raw = new Qwen2VlImageConfig(0, 1 << 30, 14, 2, 2, false, 1 / 255.0, Normalization.OPENAI_CLIP);
        DecodedImage im = DecodedImage.ofBytes("odd.png", PilMode.L, 30, 28, new byte[30 * 28]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Qwen2VlImageProcessor.of(raw).process(im));
        assertTrue(e.getMessage().startsWith("odd.png"), e.getMessage());
    }
}
