package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declared sizes are checked before decoding; PNG image data is checked in Java, so libpng never talks on stderr. */
class DecompressionBombAndPngDataTest {
    @TempDir Path dir;

    /** A 30 000 x 30 000 RGB PNG header over a few KB of data: 2.7 GB if decoded. */
    private static byte[] bomb() {
        return PngBytes.rgb(30_000, 30_000, new byte[4096]);
    }

    @Test
    void aHeaderDeclaring30000SquaredIsRefusedBeforeDecodingWithin16MbOfHeap() {
        byte[] png = bomb();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes(), t0 = System.nanoTime();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, "bomb.png"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before, ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("bomb.png: PNG of 30000x30000 = 900000000 pixels is above the limit of 178956970 pixels (a decompression"
                + " bomb?); if the image is genuine, raise the limit (palate: --max-image-pixels N, 0 for none)", e.getMessage());
        System.out.printf("bomb refused in %d ms, %d bytes allocated%n", ms, allocated);
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
        assertTrue(ms < 1000, ms + " ms");
    }

    @Test
    void withoutALimitTheBombsMissingDataIsReportedAsSuchNotAsAnIntOverflow() {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bomb(), "bomb.png", DecodeLimits.NONE));
        assertTrue(e.getMessage().startsWith("bomb.png: truncated PNG image data (the header declares 30000x30000, the data holds"
                + " 4096 of its 2700030000 bytes"), e.getMessage());
    }

    @Test
    void theLimitIsConfigurableAndWarnsAtHalf() {
        byte[] png = PngBytes.rgb(100, 50, PngBytes.rows(100, 50));
        assertEquals(100, ImageDecoder.decode(png, "p.png", DecodeLimits.of(5000)).width());
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, "p.png", DecodeLimits.of(4999)));
        assertTrue(e.getMessage().contains("100x50 = 5000 pixels is above the limit of 4999"), e.getMessage());
        assertEquals(89_478_485L, DecodeLimits.PILLOW.warnPixels());
        assertEquals(Long.MAX_VALUE, DecodeLimits.of(0).maxPixels());
    }

    @Test
    void headersOfEveryFormatGiveTheirSizeWithoutDecoding() {
        for (String ext : List.of(".png", ".jpg", ".webp", ".bmp", ".tiff")) {
            byte[] data = TestImages.encode(ext, TestImages.pattern(37, 53, 3), 37, 53, 3);
            ImageHeader h = ImageHeader.probe(data);
            assertEquals(List.of(37, 53), List.of(h.width(), h.height()), ext + " " + h);
        }
        byte[] lossless;
        try (var p = new org.bytedeco.javacpp.BytePointer(TestImages.pattern(37, 53, 3));
             var m = new org.bytedeco.opencv.opencv_core.Mat(53, 37, org.bytedeco.opencv.global.opencv_core.CV_8UC3, p);
             var out = new org.bytedeco.javacpp.BytePointer();
             var params = new org.bytedeco.javacpp.IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101)) {
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", m, out, params);
            lossless = new byte[(int) out.limit()];
            out.get(lossless);
        }
        assertEquals("VP8L", new String(lossless, 12, 4, StandardCharsets.ISO_8859_1));
        assertEquals(List.of(37, 53), List.of(ImageHeader.probe(lossless).width(), ImageHeader.probe(lossless).height()));
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x30, 0x75, 0x30, 0x75, 0, 0, 0};
        assertEquals(900_000_000L, ImageHeader.probe(gif).pixels());
    }

    @Test
    void pngDataThatIsShortCorruptOrBadlyFilteredIsAnErrorSayingSo() {
        byte[] rows = PngBytes.rows(64, 64);
        byte[] shortData = PngBytes.rgb(64, 64, Arrays.copyOf(rows, rows.length / 2));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(shortData, "short.png"));
        assertEquals("short.png: truncated PNG image data (the header declares 64x64, the data holds 6176 of its 12352 bytes);"
                + " the file was written incompletely: re-export or re-download it", e.getMessage());
        byte[] bad = rows.clone();
        bad[5 * 193] = 7;
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(PngBytes.rgb(64, 64, bad), "filter.png"));
        assertTrue(e.getMessage().startsWith("filter.png: corrupt PNG (row 5 of the image data has filter type 7"), e.getMessage());
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(corruptZlib(rows), "zlib.png"));
        assertTrue(e.getMessage().startsWith("zlib.png: corrupt PNG (the compressed image data is invalid: "), e.getMessage());
        byte[] noData = PngBytes.rgb(64, 64, rows);
        byte[] headerOnly = Arrays.copyOf(noData, 33); // signature + IHDR
        headerOnly = concat(headerOnly, PngBytes.chunk("IEND", new byte[0]));
        byte[] h = headerOnly;
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(h, "header.png"));
        assertTrue(e.getMessage().startsWith("header.png: PNG without image data (the header declares 64x64"), e.getMessage());
    }

    @Test
    void oddAncillaryChunksAndTrailingDataDecodeToTheSamePixelsAndLibpngPrintsNothing() throws Exception {
        byte[] rows = PngBytes.rows(64, 64);
        byte[] clean = PngBytes.rgb(64, 64, rows);
        byte[] iccp = PngBytes.rgb(64, 64, rows, PngBytes.chunk("iCCP", concat("icc\0\0".getBytes(StandardCharsets.ISO_8859_1),
                PngBytes.deflate("garbage".getBytes(StandardCharsets.ISO_8859_1)))));
        byte[] srgb = PngBytes.rgb(64, 64, rows, PngBytes.chunk("sRGB", new byte[] {9}));
        byte[] extra = PngBytes.rgb(64, 64, concat(rows, new byte[500]));
        byte[] expected = ImageDecoder.decode(clean, "clean.png").rgbBytes();
        for (byte[] png : List.of(iccp, srgb, extra)) assertArrayEquals(expected, ImageDecoder.decode(png, "odd.png").rgbBytes());

        // libpng writes to the process's stderr (fd 2), which only a child process can observe
        List<String> files = new ArrayList<>();
        int i = 0;
        for (byte[] png : List.of(iccp, srgb, extra, Arrays.copyOf(PngBytes.rgb(64, 64, Arrays.copyOf(rows, 100)), 10_000), corruptZlib(rows))) {
            Path f = dir.resolve("f" + i++ + ".png");
            Files.write(f, png);
            files.add(f.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PngStderrProbe.class.getName()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("out.txt")), err = Files.readString(dir.resolve("err.txt"));
        assertEquals(5, out.lines().count(), out + err);
        assertTrue(out.lines().limit(3).allMatch(l -> l.endsWith(" ok 64x64")), out);
        assertEquals("", err.lines().filter(l -> l.contains("libpng")).reduce("", (a, b) -> a + b + "\n"), "stderr: " + err);
    }

    private static byte[] corruptZlib(byte[] rows) {
        byte[] png = PngBytes.rgb(64, 64, rows);
        byte[] z = PngBytes.deflate(rows);
        z[10] ^= (byte) 0xFF;
        byte[] ihdrPart = Arrays.copyOf(png, 33);
        return concat(concat(ihdrPart, PngBytes.chunk("IDAT", z)), PngBytes.chunk("IEND", new byte[0]));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
