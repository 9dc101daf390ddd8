package dev.palate.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * 3-component JPEGs decode with {@code IMREAD_COLOR_RGB} (libjpeg-turbo writes RGB): the pixels must be those of
 * {@code IMREAD_UNCHANGED}'s BGR with R and B swapped, on every JPEG fixture of every suite. Tolerance: none.
 */
class JpegRgbDecodeTest {
    private static final Path TESTDATA = Path.of(System.getProperty("palate.testdata"));

    @Test
    void rgbDecodeEqualsSwappedBgrDecodeOnEveryJpegFixture() throws IOException {
        List<Path> jpegs;
        try (Stream<Path> files = Files.walk(TESTDATA)) {
            jpegs = files.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".jpeg")).sorted().toList();
        }
        List<String> checked = new ArrayList<>();
        for (Path p : jpegs) {
            byte[] data = Files.readAllBytes(p);
            if (JpegStructure.check(data, p.toString()).components() != 3) continue;
            assertArrayEquals(swappedBgr(data), ImageDecoder.decode(data, p.toString()).pixelBytes(), p.toString());
            checked.add(TESTDATA.relativize(p).toString());
        }
        assertTrue(checked.size() >= 8, "expected the suites' RGB JPEG fixtures, found " + checked);
        System.out.println("RGB-order JPEG decode identical to swapped BGR on " + checked.size() + " fixtures: " + checked);
    }

    @Test
    void synthetic444And420AndGrayJpegsDecodeAsBefore() {
        byte[] bgr = TestImages.pattern(333, 517, 3);
        for (byte[] jpg : List.of(TestImages.encode(".jpg", bgr, 333, 517, 3),
                encodeWithParams(bgr, 333, 517))) {
            assertArrayEquals(swappedBgr(jpg), ImageDecoder.decode(jpg, "synthetic.jpg").pixelBytes());
        }
        byte[] gray = TestImages.encode(".jpg", TestImages.pattern(31, 7, 1), 31, 7, 1);
        DecodedImage g = ImageDecoder.decode(gray, "gray.jpg");
        assertEquals(PilMode.L, g.mode());
        assertArrayEquals(raw(gray), g.pixelBytes());
    }

    /** 4:4:4 chroma at quality 95 (OpenCV's default encoding is 4:2:0). */
    private static byte[] encodeWithParams(byte[] bgr, int w, int h) {
        int[] params = {IMWRITE_JPEG_QUALITY, 95, IMWRITE_JPEG_SAMPLING_FACTOR, IMWRITE_JPEG_SAMPLING_FACTOR_444};
        try (BytePointer p = new BytePointer(bgr);
             Mat m = new Mat(h, w, CV_8UC3, p);
             BytePointer out = new BytePointer();
             IntPointer ps = new IntPointer(params)) {
            if (!imencode(".jpg", m, out, ps)) throw new IllegalStateException("imencode");
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    private static byte[] swappedBgr(byte[] jpg) {
        byte[] px = raw(jpg);
        for (int i = 0; i + 2 < px.length; i += 3) {
            byte b = px[i];
            px[i] = px[i + 2];
            px[i + 2] = b;
        }
        return px;
    }

    /** OpenCV's own {@code IMREAD_UNCHANGED} samples (BGR for colour). */
    private static byte[] raw(byte[] jpg) {
        try (BytePointer bp = new BytePointer(jpg); Mat buf = new Mat(bp); Mat m = imdecode(buf, IMREAD_UNCHANGED)) {
            byte[] px = new byte[(int) (m.total() * m.channels())];
            m.data().get(px);
            return px;
        }
    }
}
