package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P2 (Hugging Face CLIPImageProcessor) on the documented differences from P1 (models.md §1.3). */
class HuggingFaceTransformTest {
    private static final Path IMAGES = Path.of(System.getProperty("palate.testdata")).resolve("clip/images");

    @Test
    void cropOffsetsDifferByOneWhenMarginIsThreeModFour() {
        // models.md: 1216x832 -> 327x224 -> left 52 (P1, Python round of 51.5) vs 51 (P2, floor).
        assertArrayEquals(new int[] {327, 224}, ResizeCropTransform.shortestSide(1216, 832, 224));
        assertEquals(52, CropRounding.PYTHON_ROUND.offset(327, 224));
        assertEquals(51, CropRounding.FLOOR.offset(327, 224));
        assertEquals(50, CropRounding.PYTHON_ROUND.offset(325, 224)); // 50.5 rounds to even
        assertEquals(50, CropRounding.FLOOR.offset(325, 224));
    }

    @Test
    void onRgbImagesP2IsP1ShiftedByTheCropDifference() {
        byte[] rgb = TestImages.pattern(1216, 832, 3);
        DecodedImage im = DecodedImage.ofRgb("synthetic", 1216, 832, rgb);
        float[] p1 = ClipTransforms.openClip(224).apply(im);
        float[] p2 = ClipTransforms.huggingFace(null, 224).apply(im);
        // Same resize; P2's window starts one column left of P1's: p2[x] == p1[x - 1] (exact, same float math).
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 224; y++)
                for (int x = 1; x < 224; x++)
                    assertEquals(p1[(c * 224 + y) * 224 + x - 1], p2[(c * 224 + y) * 224 + x], 0f);
        assertFalse(Arrays.equals(p1, p2));
    }

    @Test
    void p2ConvertsToRgbBeforeResizingSoPaletteAndAlphaImagesDiffer() {
        for (String name : new String[] {"palette_512x512.png", "rgba_300x300.png"}) {
            DecodedImage im = ImageDecoder.decode(IMAGES.resolve(name));
            float[] p2 = ClipTransforms.huggingFace(null, 224).apply(im);
            // P2 == P1 run on the RGB-converted image (square images: both crops start at 0).
            assertArrayEquals(ClipTransforms.openClip(224).apply(im.toRgb()), p2, 0f, name);
            // ...and differs from P1 on the image in its own mode (NEAREST for P, premultiplied for RGBA).
            float[] p1 = ClipTransforms.openClip(224).apply(im);
            float max = 0;
            for (int i = 0; i < p1.length; i++) max = Math.max(max, Math.abs(p1[i] - p2[i]));
            assertTrue(max > 0.1f, name + ": P1 and P2 should differ, max diff " + max);
        }
    }

    @Test
    void hfRescaleInDoubleEqualsTorchvisionDivisionForAllBytes() {
        for (int b = 0; b < 256; b++) assertEquals(b / 255f, (float) (b * (1 / 255.0)), 0f, "byte " + b);
    }

    @Test
    void configSuppliesSizesAndMeanStd(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"crop_size": {"height": 192, "width": 192}, "do_center_crop": true, "do_normalize": true,
                 "do_rescale": true, "do_resize": true, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25],
                 "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 200},
                 "image_processor_type": "CLIPImageProcessor"}
                """);
        HfPreprocessorConfig c = HfPreprocessorConfig.read(dir);
        assertEquals(200, c.shortestEdge());
        assertEquals(192, c.crop());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, c.normalization().mean());
        ResizeCropTransform t = ClipTransforms.huggingFace(dir, 224);
        assertEquals(192, t.size());
        DecodedImage gray = DecodedImage.ofBytes("g", PilMode.L, 300, 250, new byte[300 * 250]);
        float[] out = t.apply(gray);
        assertEquals(3 * 192 * 192, out.length);
        assertEquals((0f - 0.5f) / 0.25f, out[0], 0f);
    }

    @Test
    void folderWithoutConfigUsesClipDefaultsAndOldIntSizesParse(@TempDir Path dir) throws IOException {
        assertEquals(224, ClipTransforms.huggingFace(dir, 224).size());
        Path f = dir.resolve("old.json");
        Files.writeString(f, "{\"crop_size\": 224, \"size\": 224, \"do_normalize\": false}");
        HfPreprocessorConfig c = HfPreprocessorConfig.read(f);
        assertEquals(224, c.shortestEdge());
        assertNull(c.normalization());
        Files.writeString(f, "{\"size\": 224, \"resample\": 2}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfPreprocessorConfig.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
