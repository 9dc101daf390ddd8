package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private static final Path IMAGES = Path.of(System.getProperty("palate.testdata")).resolve("clip/images");

    @Test
    void fixtureImagesOpenInPillowModes() {
        assertEquals(PilMode.CMYK, ImageDecoder.decode(IMAGES.resolve("cmyk_800x600.jpg")).mode());
        assertEquals(PilMode.L, ImageDecoder.decode(IMAGES.resolve("gray_1024x256.png")).mode());
        assertEquals(PilMode.P, ImageDecoder.decode(IMAGES.resolve("palette_512x512.png")).mode());
        assertEquals(PilMode.RGBA, ImageDecoder.decode(IMAGES.resolve("rgba_300x300.png")).mode());
        DecodedImage rgb = ImageDecoder.decode(IMAGES.resolve("rgb_1920x1080.jpg"));
        assertEquals(PilMode.RGB, rgb.mode());
        assertEquals(1920, rgb.width());
        assertEquals(1080, rgb.height());
    }

    @Test
    void cmykJpegConvertsWithPillowFormulaNotOpenCvs() {
        // First pixel: raw Adobe samples (9, 0, 13, 255) -> Pillow RGB (9, 0, 13); OpenCV's own conversion gives (10, 1, 14).
        byte[] rgb = ImageDecoder.decode(IMAGES.resolve("cmyk_800x600.jpg")).rgbBytes();
        assertArrayEquals(new byte[] {9, 0, 13}, Arrays.copyOf(rgb, 3));
    }

    @Test
    void pngColourOrderIsRgbAndLosslessRoundTrip() {
        byte[] bgr = TestImages.pattern(17, 9, 3);
        DecodedImage im = ImageDecoder.decode(TestImages.encode(".png", bgr, 17, 9, 3), "p.png");
        byte[] rgb = im.rgbBytes();
        for (int i = 0; i < 17 * 9; i++) {
            assertEquals(bgr[3 * i + 2], rgb[3 * i]);
            assertEquals(bgr[3 * i], rgb[3 * i + 2]);
        }
    }

    @Test
    void truncatedJpegIsAnErrorNamingTheFile() {
        byte[] jpg = TestImages.encode(".jpg", TestImages.pattern(64, 48, 3), 64, 48, 3);
        byte[] cut = Arrays.copyOf(jpg, jpg.length * 2 / 3);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut, "cut.jpg"));
        assertTrue(e.getMessage().startsWith("cut.jpg: truncated JPEG"), e.getMessage());
    }

    @Test
    void truncatedPngIsAnErrorNamingTheFile() {
        byte[] png = TestImages.encode(".png", TestImages.pattern(64, 48, 3), 64, 48, 3);
        byte[] cut = Arrays.copyOf(png, png.length - 20);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut, "cut.png"));
        assertTrue(e.getMessage().startsWith("cut.png: truncated PNG"), e.getMessage());
    }

    @Test
    void pngWithBadCrcIsAnError() {
        byte[] png = TestImages.encode(".png", TestImages.pattern(32, 32, 3), 32, 32, 3);
        png[45] ^= 0x55; // inside the first IDAT's data
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, "bad.png"));
        assertTrue(e.getMessage().contains("bad CRC"), e.getMessage());
    }

    @Test
    void garbageAndMissingFilesAreErrorsNamingTheFile() {
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode("not an image at all".getBytes(), "notes.txt"));
        assertTrue(e.getMessage().startsWith("notes.txt: "), e.getMessage());
        Path missing = IMAGES.resolve("missing.png");
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    @Test
    void exifOrientationIsIgnoredAsPillowDoes() {
        byte[] jpg = TestImages.encode(".jpg", TestImages.pattern(40, 20, 3), 40, 20, 3);
        byte[] rotated = withExifOrientation(jpg, 6); // "rotate 90 CW" tag: an EXIF-aware decoder would give 20x40
        DecodedImage plain = ImageDecoder.decode(jpg, "plain.jpg");
        DecodedImage tagged = ImageDecoder.decode(rotated, "tagged.jpg");
        assertEquals(40, tagged.width());
        assertEquals(20, tagged.height());
        assertArrayEquals(plain.rgbBytes(), tagged.rgbBytes());
    }

    @Test
    void sixteenBitGrayPngOpensAsModeIAndConvertClipsInsteadOfScaling() {
        short[] v = {0, 100, 255, 256, 1000, (short) 65535};
        DecodedImage im = ImageDecoder.decode(TestImages.encode16(v, 6, 1, 1), "g16.png");
        assertEquals(PilMode.I, im.mode());
        assertArrayEquals(new int[] {0, 100, 255, 256, 1000, 65535}, im.pixelInts());
        byte[] rgb = im.rgbBytes();
        int[] r = new int[6];
        for (int i = 0; i < 6; i++) r[i] = rgb[3 * i] & 0xFF;
        assertArrayEquals(new int[] {0, 100, 255, 255, 255, 255}, r); // Pillow i2rgb clips
    }

    @Test
    void sixteenBitRgbPngKeepsTheHighByteAsPillowsRgb16BRawMode() {
        short[] bgr = {(short) 0x1234, (short) 0xABCD, (short) 0xFF01};
        DecodedImage im = ImageDecoder.decode(TestImages.encode16(bgr, 1, 1, 3), "c16.png");
        assertEquals(PilMode.RGB, im.mode());
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xAB, (byte) 0x12}, im.rgbBytes());
    }

    @Test
    void alphaIsDroppedNotComposited() {
        byte[] bgra = {10, 20, 30, 0, 40, 50, 60, (byte) 128};
        DecodedImage im = ImageDecoder.decode(TestImages.encode(".png", bgra, 2, 1, 4), "a.png");
        assertEquals(PilMode.RGBA, im.mode());
        assertArrayEquals(new byte[] {30, 20, 10, 60, 50, 40}, im.rgbBytes());
    }

    /** Inserts an APP1 Exif segment with one Orientation entry after SOI. */
    private static byte[] withExifOrientation(byte[] jpg, int orientation) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpg, 0, 2);
        int len = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpg, 2, jpg.length - 2);
        return out.toByteArray();
    }
}
