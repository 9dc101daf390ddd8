package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * 16-bit grayscale PNGs (written here by Java ImageIO) follow Pillow 9.4.0, the fixtures' reference:
 *
 * <ol>
 *   <li>{@code Image.open} gives mode {@code I} (PngImagePlugin 9.4 {@code _MODES[(16, 0)] = ("I", "I;16B")}):
 *       the 16-bit value as an int32, neither scaled nor cut to its high byte.</li>
 *   <li>{@code resize(BICUBIC)} runs on int32 (Resample.c {@code ImagingResample*_32bpc}): double coefficients,
 *       each pass rounded half away from zero and <b>not clipped</b>, so bicubic overshoot below 0 survives the
 *       first pass into the second.</li>
 *   <li>{@code convert("RGB")} clips each value to 0..255 (Convert.c {@code i2rgb}); it does not scale.</li>
 * </ol>
 * Pillow 10.3 and later open the file as {@code I;16} instead (PR #7849), and Pillow 11 resizes {@code I;16} with
 * {@code ImagingResample*_16bpc}, which clips each pass to 0..65535: the P1 pixels below are what Pillow 9.4.0
 * gives, and Pillow 12.3 differs at four of them (noted beside the grid). Exact (uint8) comparisons.
 */
class SixteenBitGrayPngTest {
    /** 24x20, 4x4 blocks of 0 and {@code high}, as a 16-bit grayscale PNG written by ImageIO. */
    private static byte[] checker16(int high) {
        BufferedImage im = new BufferedImage(24, 20, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 24; x++) im.getRaster().setSample(x, y, 0, (x / 4 + y / 4) % 2 == 0 ? 0 : high);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(im, "png", out)) throw new IllegalStateException("ImageIO has no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void imageIoSixteenBitGrayOpensAsModeIWithTheFullValueAndConvertClipsTo255() {
        BufferedImage im = new BufferedImage(8, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 1, 254, 255, 256, 300, 32768, 65535};
        for (int x = 0; x < 8; x++) im.getRaster().setSample(x, 0, 0, values[x]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(im, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DecodedImage d = ImageDecoder.decode(out.toByteArray(), "gray16.png");
        assertEquals(PilMode.I, d.mode());
        assertArrayEquals(values, d.pixelInts()); // rule 1: the value itself
        byte[] rgb = d.rgbBytes();
        int[] red = new int[8];
        for (int x = 0; x < 8; x++) red[x] = rgb[3 * x] & 0xFF;
        assertArrayEquals(new int[] {0, 1, 254, 255, 255, 255, 255, 255}, red); // rule 3: clip, not v >> 8
    }

    @Test
    void bicubicOvershootBelowZeroIsKeptBetweenPassesAsPillow94DoesOnModeI() {
        DecodedImage d = ImageDecoder.decode(checker16(300), "checker16.png");
        // Pillow 9.4.0: Image.open("checker16.png").resize((9, 8), BICUBIC), column 0 (Pillow 12.3: 0, 124, 332, 58, ...)
        int[] resized = PilResampler.resize(d, 9, 8).pixelInts(); // [8, 9]
        int[] column0 = new int[8];
        for (int y = 0; y < 8; y++) column0[y] = resized[y * 9];
        assertArrayEquals(new int[] {-29, 116, 333, 46, 46, 333, 116, -29}, column0);
    }

    @Test
    void openClipP1OfASixteenBitGrayPngMatchesPillow94() {
        DecodedImage d = ImageDecoder.decode(checker16(300), "checker16.png");
        // P1 at S = 8: short side 20 -> 8, long side int(8 * 24 / 20) = 9, crop left round(0.5) = 0.
        // Pillow 9.4.0's convert("RGB") of the crop; Pillow 12.3 gives 124 for 116 (rows 1, 6) and 58 for 46 (rows 3, 4).
        int[][] expected = {
                {0, 152, 255, 0, 150, 255, 0, 148},
                {116, 150, 179, 121, 150, 179, 121, 150},
                {255, 148, 0, 255, 150, 0, 255, 152},
                {46, 151, 239, 61, 150, 239, 61, 149},
                {46, 151, 239, 61, 150, 239, 61, 149},
                {255, 148, 0, 255, 150, 0, 255, 152},
                {116, 150, 179, 121, 150, 179, 121, 150},
                {0, 152, 255, 0, 150, 255, 0, 148}};
        float[] p1 = ClipTransforms.openClip(8).apply(d); // [3, 8, 8]
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                    assertEquals(Normalization.OPENAI_CLIP.apply(c, expected[y][x] / 255f), p1[(c * 8 + y) * 8 + x],
                            "channel " + c + " at (" + x + ", " + y + ")");
    }
}
