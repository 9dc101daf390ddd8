package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * P3 with the antialiased resize (libtorch's {@code _upsample_bicubic2d_aa}) against HPSv2's preprocessing under
 * torchvision 0.29.1 (testdata/README.md, {@code clip/*}{@code /expected_antialias.safetensors}), all ten images.
 */
class Hpsv2AntialiasParityTest {
    private static final Path CLIP = Path.of(System.getProperty("palate.testdata")).resolve("clip");
    private static final float TOLERANCE = 1e-5f;

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void antialiasedHpsv2TransformMatchesTorchvision029Within1e5(String model) throws IOException {
        SafetensorsFixture f = SafetensorsFixture.read(CLIP.resolve(model).resolve("expected_antialias.safetensors"));
        long[] shape = f.shape("hpsv2aa_pixel_values"); // [N, 3, S, S]
        int s = (int) shape[2];
        ImageTransform t = ClipTransforms.hpsv2(s, true);
        float[] want = f.floats("hpsv2aa_pixel_values");
        List<String> order = f.imageOrder();
        assertEquals(shape[0], order.size());
        int per = 3 * s * s;
        Map<String, Float> diffs = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            float[] got = t.apply(ImageDecoder.decode(CLIP.resolve("images").resolve(order.get(i))));
            assertEquals(per, got.length, order.get(i));
            diffs.put(order.get(i), SafetensorsFixture.maxAbsDiff(got, want, i * per));
        }
        System.out.println(model + " hpsv2aa_pixel_values (S=" + s + ") max abs diff per image: " + diffs);
        diffs.forEach((name, d) -> assertTrue(d <= TOLERANCE, model + "/" + name + ": max abs diff " + d + " > " + TOLERANCE));
    }
}
