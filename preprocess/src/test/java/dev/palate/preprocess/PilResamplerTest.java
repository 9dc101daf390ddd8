package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * Exactness of the uint8 resize itself is shown by {@link ClipTransformsParityTest} (P1 differs from the
 * reference by 0.0, i.e. every resized byte equals Pillow's). These tests pin the window shortcut and the API.
 */
class PilResamplerTest {
    @Test
    void croppedWindowEqualsFullResizeThenCropInEveryMode() {
        int w = 97, h = 61;
        byte[] rgba = TestImages.pattern(w, h, 4);
        int[] ints = new int[w * h];
        for (int i = 0; i < ints.length; i++) ints[i] = (i * 37) % 700 - 100;
        List<DecodedImage> images = List.of(
                DecodedImage.ofBytes("rgba", PilMode.RGBA, w, h, rgba),
                DecodedImage.ofBytes("rgb", PilMode.RGB, w, h, TestImages.pattern(w, h, 3)),
                DecodedImage.ofBytes("p", PilMode.P, w, h, TestImages.pattern(w, h, 3)),
                DecodedImage.ofBytes("la", PilMode.LA, w, h, TestImages.pattern(w, h, 2)),
                DecodedImage.ofBytes("cmyk", PilMode.CMYK, w, h, rgba),
                DecodedImage.ofInts("i", w, h, ints));
        int[][] sizes = {{40, 25}, {150, 94}, {97, 30}, {50, 61}};
        for (DecodedImage im : images) {
            for (int[] s : sizes) {
                DecodedImage full = PilResampler.resize(im, s[0], s[1]);
                int cw = s[0] - 5, ch = s[1] - 3, left = 3, top = 2;
                DecodedImage win = PilResampler.resizeCrop(im, s[0], s[1], left, top, cw, ch);
                int bands = im.mode().bands();
                for (int y = 0; y < ch; y++) {
                    for (int x = 0; x < cw; x++) {
                        for (int b = 0; b < bands; b++) {
                            int at = ((y + top) * s[0] + x + left) * bands + b, wat = (y * cw + x) * bands + b;
                            if (im.mode() == PilMode.I) assertEquals(full.pixelInts()[at], win.pixelInts()[wat], im.name());
                            else assertEquals(full.pixelBytes()[at], win.pixelBytes()[wat], im.name() + " " + s[0] + "x" + s[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameSizeIsACopyAndConstantImagesStayConstant() {
        byte[] px = TestImages.pattern(20, 10, 3);
        assertArrayEquals(px, PilResampler.bicubic(px, 20, 10, 3, 20, 10));
        byte[] flat = new byte[30 * 30];
        java.util.Arrays.fill(flat, (byte) 200);
        for (byte b : PilResampler.bicubic(flat, 30, 30, 1, 7, 13)) assertEquals((byte) 200, b);
    }

    @Test
    void toBatchStacksImagesAsNx3xSxS() {
        ImageTransform t = ClipTransforms.openClip(32);
        List<DecodedImage> images = List.of(DecodedImage.ofRgb("a", 50, 40, TestImages.pattern(50, 40, 3)),
                DecodedImage.ofBytes("b", PilMode.L, 33, 70, TestImages.pattern(33, 70, 1)));
        try (NativeScope scope = NativeScope.open()) {
            Tensor batch = t.toBatch(images);
            assertArrayEquals(new long[] {2, 3, 32, 32}, Tensors.shape(batch));
            float[] all = Tensors.toFloats(batch);
            assertArrayEquals(t.apply(images.get(1)), java.util.Arrays.copyOfRange(all, 3 * 32 * 32, 2 * 3 * 32 * 32), 0f);
        }
    }
}
