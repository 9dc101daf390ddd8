package dev.palate.models.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.InputStream;

import org.junit.jupiter.api.Test;

class PilFloatBicubicTest {
    @Test
    void cleanFidResizeMatchesPillowFloatBicubicBitForBit() throws Exception {
        int w = 53, h = 41, ow = 29, oh = 67;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = (byte) ((x * 37 + y * 11 + c * 101 + (x * y) % 7 * 13) % 256);
        float[] mine = PilFloatBicubic.resizeRgb(new RgbImage(w, h, rgb), ow, oh);
        NpyArray expected;
        try (InputStream in = getClass().getResourceAsStream("pil_f_bicubic_53x41_to_29x67.npy")) {
            expected = NpyArray.parse(in.readAllBytes(), "pil_f_bicubic_53x41_to_29x67.npy");
        }
        assertArrayEquals(new long[]{3, oh, ow}, expected.shape());
        float[] exp = new float[expected.data().length];
        for (int i = 0; i < exp.length; i++) exp[i] = (float) expected.data()[i];
        assertArrayEquals(exp, mine, 0f); // Pillow 12.3.0, see resources README
    }
}
