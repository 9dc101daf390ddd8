package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** P1 and P3 against the reference outputs of open_clip 2.24 / Pillow 9.4 / torchvision 0.14 (testdata/README.md). */
class ClipTransformsParityTest {
    private static final Path CLIP = Path.of(System.getProperty("palate.testdata")).resolve("clip");
    private static final float TOLERANCE = 1e-5f;

    @Test
    void openClipTransformMatchesReferenceWithin1e5ForAllTenImages() throws IOException {
        SafetensorsFixture f = SafetensorsFixture.read(CLIP.resolve("preprocess_224.safetensors"));
        ImageTransform p1 = ClipTransforms.openClip(224);
        Map<String, Float> diffs = new LinkedHashMap<>();
        for (String name : List.of("rgb_640x480.jpg", "rgb_480x640.png", "rgba_300x300.png", "gray_1024x256.png",
                "rgb_224x224.png", "rgb_223x225.jpg", "tiny_37x53.png", "rgb_1920x1080.jpg", "palette_512x512.png",
                "cmyk_800x600.jpg")) {
            float[] got = p1.apply(ImageDecoder.decode(CLIP.resolve("images").resolve(name)));
            float[] want = f.floats(name);
            assertEquals(want.length, got.length, name);
            diffs.put(name, SafetensorsFixture.maxAbsDiff(got, want, 0));
        }
        System.out.println("P1 224 max abs diff per image: " + diffs);
        diffs.forEach((name, d) -> assertTrue(d <= TOLERANCE, name + ": max abs diff " + d + " > " + TOLERANCE));
    }

    @Test
    void openClipTransformMatchesTinyModelPixelValuesWithin1e5() throws IOException {
        for (String model : List.of("clip-tiny-gelu", "clip-tiny-quickgelu")) {
            compareBatch(model, "pixel_values", ClipTransforms::openClip);
        }
    }

    @Test
    void hpsv2TransformMatchesReferenceWithin1e5() throws IOException {
        for (String model : List.of("clip-tiny-gelu", "clip-tiny-quickgelu")) {
            compareBatch(model, "hpsv2_pixel_values", ClipTransforms::hpsv2);
        }
    }

    private static void compareBatch(String model, String key, java.util.function.IntFunction<ImageTransform> make) throws IOException {
        SafetensorsFixture f = SafetensorsFixture.read(CLIP.resolve(model).resolve("expected.safetensors"));
        long[] shape = f.shape(key); // [N, 3, S, S]
        int s = (int) shape[2];
        ImageTransform t = make.apply(s);
        float[] want = f.floats(key);
        int per = 3 * s * s;
        List<String> order = f.imageOrder();
        Map<String, Float> diffs = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            float[] got = t.apply(ImageDecoder.decode(CLIP.resolve("images").resolve(order.get(i))));
            diffs.put(order.get(i), SafetensorsFixture.maxAbsDiff(got, want, i * per));
        }
        System.out.println(model + " " + key + " (S=" + s + ") max abs diff per image: " + diffs);
        diffs.forEach((name, d) -> assertTrue(d <= TOLERANCE, model + "/" + name + ": max abs diff " + d + " > " + TOLERANCE));
    }
}
