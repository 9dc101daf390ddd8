package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * The device path (libtorch antialiased bicubic on float) against the exact Pillow path with the same order (P2:
 * RGB first, floor crop), run on the CPU device through the same code as on CUDA. Measured on the 10 fixture
 * images at S = 224 (normalised units; one grey level is about 0.015): max abs diff 0.204 for the 37×53 upscale
 * (libtorch keeps the horizontal pass in float, Pillow rounds it to bytes), 0.114 (palette, bicubic on RGB vs
 * Pillow's RGB), 0.102 (RGBA), ≤ 0.057 for the others, 0.0 for the 224×224 image; mean abs diff 0.0016.
 * The bounds below are those numbers with a little room.
 */
class DeviceResizeCropTransformTest {
    private static final Path IMAGES = Path.of(System.getProperty("palate.testdata")).resolve("clip/images");

    @Test
    void cpuDevicePathIsWithin0p25MaxAnd0p005MeanOfExactP2OnFixtures() throws Exception {
        List<DecodedImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(IMAGES)) {
            for (Path p : files.sorted().toList()) images.add(ImageDecoder.decode(p));
        }
        ImageTransform exact = ClipTransforms.huggingFace(null, 224);
        DeviceResizeCropTransform device = ClipTransforms.onDevice(224, CropRounding.FLOOR, Device.CPU);
        float worst = 0;
        double sum = 0;
        long n = 0;
        try (NativeScope scope = NativeScope.open()) {
            Tensor batch = device.toBatch(images); // [10, 3, 224, 224]
            assertArrayEquals(new long[] {images.size(), 3, 224, 224}, Tensors.shape(batch));
            float[] got = Tensors.toFloats(batch);
            int per = 3 * 224 * 224;
            for (int i = 0; i < images.size(); i++) {
                float[] want = exact.apply(images.get(i));
                float max = 0;
                for (int k = 0; k < per; k++) {
                    float d = Math.abs(got[i * per + k] - want[k]);
                    max = Math.max(max, d);
                    sum += d;
                    n++;
                }
                System.out.printf("device vs exact P2, %s: max abs diff %.4f (%.1f grey levels)%n",
                        images.get(i).name(), max, max * 0.26130258f * 255);
                worst = Math.max(worst, max);
            }
        }
        System.out.printf("device vs exact P2: worst %.4f, mean %.5f%n", worst, sum / n);
        float bound = 0.25f;
        assertTrue(worst <= bound, "device path off by " + worst + " > " + bound);
        assertTrue(sum / n < 0.005, "mean diff " + sum / n);
    }
}
