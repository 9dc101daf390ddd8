package dev.palate.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Encodes synthetic images with OpenCV for decoder tests. */
final class TestImages {
    private TestImages() {}

    /** A deterministic pattern, {@code [h, w, channels]} bytes in OpenCV (BGR) order. */
    static byte[] pattern(int w, int h, int channels) {
        byte[] b = new byte[w * h * channels];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++) b[(y * w + x) * channels + c] = (byte) ((x * 7 + y * 13 + c * 50) ^ (x * y));
        return b;
    }

    static byte[] encode(String ext, byte[] pixels, int w, int h, int channels) {
        try (BytePointer p = new BytePointer(pixels); Mat m = new Mat(h, w, CV_8UC(channels), p); BytePointer out = new BytePointer()) {
            if (!imencode(ext, m, out)) throw new IllegalStateException("imencode " + ext);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** 16-bit PNG from {@code [h, w, channels]} unsigned shorts (channels 1 or 3, BGR). */
    static byte[] encode16(short[] pixels, int w, int h, int channels) {
        try (ShortPointer p = new ShortPointer(pixels); Mat m = new Mat(h, w, channels == 1 ? CV_16UC1 : CV_16UC3, p);
             BytePointer out = new BytePointer()) {
            if (!imencode(".png", m, out)) throw new IllegalStateException("imencode 16-bit png");
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
