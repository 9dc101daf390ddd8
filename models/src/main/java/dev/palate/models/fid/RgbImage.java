package dev.palate.models.fid;

import java.nio.file.Path;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An 8-bit RGB image, rows of interleaved R,G,B (what PIL's {@code Image.open(p).convert("RGB")} holds).
 * Decoded with OpenCV ({@code IMREAD_COLOR}, then BGR→RGB), which for 8-bit PNG/JPEG gives PIL's pixels exactly.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (rgb.length != width * height * 3)
            throw new IllegalArgumentException(rgb.length + " bytes do not hold a " + width + "x" + height + " RGB image");
    }

    /** Decodes {@code file}; fails naming the file when it is missing or not an image OpenCV can read. */
    public static RgbImage read(Path file) {
        if (!java.nio.file.Files.isRegularFile(file))
            throw new IllegalArgumentException("image " + file + " does not exist or is not a file");
        try (Mat bgr = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR); Mat rgb = new Mat()) {
            if (bgr == null || bgr.empty())
                throw new IllegalArgumentException("cannot decode image " + file + ": not a format OpenCV reads (png, jpg, bmp, webp, tiff, ppm)");
            if (bgr.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U)
                throw new IllegalArgumentException("image " + file + " did not decode to 8 bits per channel");
            opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
            byte[] out = new byte[rgb.cols() * rgb.rows() * 3];
            Mat c = rgb.isContinuous() ? rgb : rgb.clone();
            c.data().get(out);
            return new RgbImage(rgb.cols(), rgb.rows(), out);
        }
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int at(int x, int y, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }
}
