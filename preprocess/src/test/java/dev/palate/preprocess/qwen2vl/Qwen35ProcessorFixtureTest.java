package dev.palate.preprocess.qwen2vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsFile;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.PilResampler;

/**
 * The Qwen3.5 judges' image path against testdata/qwen35-judge (transformers 5.18 torchvision-backed processor,
 * Pillow 12.3): UR2 hands {@code convert("RGB")} to the processor; Qwen-Image-Bench first squashes an image whose
 * longer side exceeds 1024 to 1024×1024 with Pillow LANCZOS. Tolerances: uint8 images exact, grids exact, pixel rows
 * 1e-6 absolute, float64 column sums 1e-9 relative.
 */
class Qwen35ProcessorFixtureTest {
    private static final Path DIR = Path.of(System.getProperty("palate.testdata")).resolve("qwen35-judge");
    private static final List<String> IMAGES = List.of("rgb_300x200.jpg", "rgba_257x181.png", "gray_123x333.png",
            "palette_200x200.png", "tiny_37x21.png", "large_1100x620.jpg");

    @Test
    void resizedPixelsGridsAndSumsMatchForBothJudges() {
        Qwen2VlImageProcessor p = Qwen2VlImageProcessor.fromPreprocessorConfig(DIR.resolve("model")).withTorchvisionBackend();
        double maxRow = 0, maxSum = 0;
        int checked = 0;
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve("preprocess.safetensors"))) {
            for (String judge : List.of("ur2", "qib")) {
                for (String name : IMAGES) {
                    String k = judge + "/" + name + "/";
                    if (!f.keys().contains(k + "resized_uint8")) continue; // QIB pixels are stored only where its squash changed the image
                    DecodedImage image = ImageDecoder.decode(DIR.resolve("images").resolve(name)).toRgb();
                    if (judge.equals("qib") && Math.max(image.width(), image.height()) > 1024) {
                        image = PilResampler.resize(image, 1024, 1024, PilResampler.Filter.LANCZOS);
                        assertArrayEquals(Tensors.toBytes(f.tensor(k + "prepared_uint8")), image.rgbBytes(), k + "prepared_uint8 (LANCZOS)");
                    }
                    DecodedImage resized = p.resized(image);
                    byte[] chw = Tensors.toBytes(f.tensor(k + "resized_uint8"));
                    assertArrayEquals(chw, toChw(resized), k + "resized_uint8");
                    VisionPatches v = p.process(image);
                    assertArrayEquals(Tensors.toLongs(f.tensor(k + "image_grid_thw")), v.gridThw(), k + "grid");
                    float[] px = v.pixelValues();
                    int dim = v.patchDim();
                    if (f.keys().contains(k + "pixel_values")) {
                        float[] all = Tensors.toFloats(f.tensor(k + "pixel_values"));
                        assertEquals(all.length, px.length, k + "rows");
                        for (int i = 0; i < all.length; i++) maxRow = Math.max(maxRow, Math.abs(all[i] - px[i]));
                    } else {
                        float[] head = Tensors.toFloats(f.tensor(k + "pixel_values_head")), tail = Tensors.toFloats(f.tensor(k + "pixel_values_tail"));
                        for (int i = 0; i < head.length; i++) maxRow = Math.max(maxRow, Math.abs(head[i] - px[i]));
                        for (int i = 0; i < tail.length; i++) maxRow = Math.max(maxRow, Math.abs(tail[i] - px[px.length - tail.length + i]));
                    }
                    double[] sums = Tensors.toDoubles(f.tensor(k + "pixel_values_sum")), mine = new double[dim];
                    for (int i = 0; i < px.length; i++) mine[i % dim] += px[i];
                    for (int c = 0; c < dim; c++) maxSum = Math.max(maxSum, Math.abs(mine[c] - sums[c]) / Math.max(1e-9, Math.abs(sums[c])));
                    checked++;
                }
            }
        }
        System.out.printf("qwen3.5 processor: %d judge/image entries, rows max |diff| %.3e (tolerance 1e-6), column sums max rel %.3e (tolerance 1e-9)%n", checked, maxRow, maxSum);
        assertTrue(maxRow <= 1e-6 && maxSum <= 1e-9, maxRow + " / " + maxSum);
    }

    private static byte[] toChw(DecodedImage rgb) {
        byte[] hwc = rgb.rgbBytes();
        int n = rgb.width() * rgb.height();
        byte[] out = new byte[3 * n];
        for (int i = 0; i < n; i++) for (int c = 0; c < 3; c++) out[c * n + i] = hwc[3 * i + c];
        return out;
    }
}
