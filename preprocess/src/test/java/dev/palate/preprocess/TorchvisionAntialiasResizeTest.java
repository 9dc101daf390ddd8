package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kBicubic;
import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * The Java port of torch's antialiased bicubic against the HPSv2 antialias fixture (torch 2.14.1 / torchvision 0.29.1)
 * and against libtorch's own {@code _upsample_bicubic2d_aa} (this build) on random images.
 */
class TorchvisionAntialiasResizeTest {
    private static final Path CLIP = Path.of(System.getProperty("palate.testdata")).resolve("clip");
    /** {out/in sizes}: shrink both sides, enlarge both, one side only, near-identity, a strong shrink. */
    private static final int[][] SIZES = {{640, 480, 224, 168}, {37, 53, 100, 100}, {300, 300, 300, 120},
            {300, 200, 120, 200}, {50, 60, 51, 59}, {1920, 1080, 56, 32}, {20, 13, 320, 224}};

    @Test
    void floatPathReproducesTheHpsv2AntialiasPixelValuesWithin1e5ForAllTenImagesOfBothModels() throws IOException {
        for (String model : List.of("clip-tiny-gelu", "clip-tiny-quickgelu")) {
            SafetensorsFixture f = SafetensorsFixture.read(CLIP.resolve(model).resolve("expected_antialias.safetensors"));
            int s = (int) f.shape("hpsv2aa_pixel_values")[2];
            float[] want = f.floats("hpsv2aa_pixel_values");
            List<String> order = f.imageOrder();
            Map<String, Float> diffs = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++)
                diffs.put(order.get(i), SafetensorsFixture.maxAbsDiff(hpsv2Antialiased(order.get(i), s), want, i * 3 * s * s));
            System.out.println(model + " HPSv2 antialias pixel_values, Java resize, max abs diff: " + diffs);
            diffs.forEach((name, d) -> assertTrue(d <= 1e-5f, model + " " + name + ": max abs diff " + d));
        }
    }

    /** The fixture's pipeline (testdata/README.md): to_tensor, longest side to S (Python round), resize, pad, normalise. */
    private static float[] hpsv2Antialiased(String name, int s) {
        DecodedImage im = ImageDecoder.decode(CLIP.resolve("images").resolve(name));
        int w = im.width(), h = im.height(), plane = w * h;
        byte[] rgb = im.rgbBytes();
        float[] chw = new float[3 * plane]; // [3, H, W]
        for (int p = 0; p < plane; p++) for (int c = 0; c < 3; c++) chw[c * plane + p] = (rgb[3 * p + c] & 0xFF) / 255f;
        int[] wh = ClipTransforms.hpsv2(s, true).resizedSize(w, h);
        int nw = wh[0], nh = wh[1], left = (s - nw) / 2, top = (s - nh) / 2;
        float[] r = nw == w && nh == h ? chw : TorchvisionAntialiasResize.resizeFloat(chw, 3, w, h, nw, nh);
        float[] out = new float[3 * s * s]; // [3, S, S]
        for (int c = 0; c < 3; c++) {
            Arrays.fill(out, c * s * s, (c + 1) * s * s, Normalization.OPENAI_CLIP.apply(c, 0f));
            for (int y = 0; y < nh; y++)
                for (int x = 0; x < nw; x++)
                    out[c * s * s + (y + top) * s + x + left] = Normalization.OPENAI_CLIP.apply(c, r[(c * nh + y) * nw + x]);
        }
        return out;
    }

    @Test
    void floatPathEqualsLibtorchWithin1e6OnRandomImages() {
        Random random = new Random(7);
        int exact = 0, total = 0;
        float max = 0;
        for (int[] sz : SIZES) {
            int w = sz[0], h = sz[1], ow = sz[2], oh = sz[3];
            float[] x = new float[3 * w * h];
            for (int i = 0; i < x.length; i++) x[i] = random.nextFloat();
            float[] got = TorchvisionAntialiasResize.resizeFloat(x, 3, w, h, ow, oh);
            float[] want;
            try (NativeScope scope = NativeScope.open()) {
                want = Tensors.toFloats(libtorch(Tensors.fromFloats(x, 1, 3, h, w), ow, oh));
            }
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                float d = Math.abs(want[i] - got[i]);
                if (d == 0) exact++;
                max = Math.max(max, d);
                total++;
            }
        }
        System.out.println("float resize vs libtorch: " + exact + "/" + total + " bit-identical, max abs diff " + max);
        assertTrue(max <= 1e-6f, "max abs diff " + max);
    }

    @Test
    void uint8PathEqualsLibtorchInEverySampleOnRandomImages() {
        Random random = new Random(11);
        for (int[] sz : SIZES) {
            int w = sz[0], h = sz[1], ow = sz[2], oh = sz[3];
            byte[] hwc = new byte[3 * w * h]; // [H, W, 3]
            random.nextBytes(hwc);
            byte[] got = TorchvisionAntialiasResize.resizeUint8(hwc, w, h, 3, ow, oh);
            byte[] want; // [3, oh, ow]
            try (NativeScope scope = NativeScope.open()) {
                want = Tensors.toBytes(libtorch(Tensors.fromBytes(hwc, 1, h, w, 3).permute(0, 3, 1, 2), ow, oh).contiguous());
            }
            int differing = 0;
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                    for (int c = 0; c < 3; c++) if (want[(c * oh + y) * ow + x] != got[(y * ow + x) * 3 + c]) differing++;
            assertEquals(0, differing, w + "x" + h + " -> " + ow + "x" + oh + ": samples differing from libtorch");
        }
    }

    @Test
    void unchangedSizeGivesACopyAndAConstantImageStaysConstant() {
        byte[] gray = new byte[40 * 30 * 3];
        Arrays.fill(gray, (byte) 77);
        byte[] same = TorchvisionAntialiasResize.resizeUint8(gray, 40, 30, 3, 40, 30);
        assertNotSame(gray, same);
        assertArrayEquals(gray, same);
        byte[] big = TorchvisionAntialiasResize.resizeUint8(gray, 40, 30, 3, 97, 13);
        for (byte b : big) assertEquals(77, b & 0xFF);
        float[] half = new float[2 * 9 * 7];
        Arrays.fill(half, 0.5f);
        for (float v : TorchvisionAntialiasResize.resizeFloat(half, 2, 9, 7, 4, 15)) assertEquals(0.5f, v, 1e-6f);
    }

    /** {@code interpolate(x, (oh, ow), bicubic, align_corners=False, antialias=True)} on {@code [1, C, H, W]}. */
    private static Tensor libtorch(Tensor x, int ow, int oh) {
        InterpolateFuncOptions options = new InterpolateFuncOptions();
        options.size().put(new LongVector(oh, ow));
        options.mode().put(new kBicubic());
        options.align_corners().put(false);
        options.antialias().put(true);
        return torch.interpolate(x, options);
    }
}
