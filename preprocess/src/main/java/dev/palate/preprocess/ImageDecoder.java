package dev.palate.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes image files as {@code PIL.Image.open(path)} sees them: the Pillow mode of the file (palette, bilevel,
 * grayscale, alpha, CMYK, 16-bit), pixels as Pillow holds them. OpenCV does the decoding (JPEG, PNG, WebP, BMP,
 * TIFF, GIF where the build has it), except 4-component JPEGs, read raw by {@link CmykJpegReader}.
 *
 * <ul>
 *   <li>No EXIF rotation: Pillow does not rotate; {@code IMREAD_UNCHANGED} (which OpenCV treats as "ignore
 *       orientation" too) keeps the stored orientation.</li>
 *   <li>Alpha is kept (mode RGBA/LA): P1 resizes premultiplied, {@code convert("RGB")} drops it.</li>
 *   <li>16-bit PNGs as Pillow 9.4 opens them: grayscale as mode I (values 0..65535; {@code convert("RGB")} then
 *       clips to 255, it does not scale), colour and gray+alpha reduced to their high byte (raw mode {@code ;16B}).</li>
 *   <li>Truncated or corrupt JPEG and PNG files are errors naming the file (OpenCV alone would return a partial
 *       image); Pillow also refuses them by default.</li>
 * </ul>
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Reads and decodes a file; errors name the file. */
    public static DecodedImage decode(Path path) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(path + ": no such file");
        } catch (IOException e) {
            throw new ImageDecodeException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        return decode(data, path.toString());
    }

    /** Decodes encoded bytes; {@code name} is used in messages and kept as {@link DecodedImage#name()}. */
    public static DecodedImage decode(byte[] data, String name) {
        if (data.length == 0) throw new ImageDecodeException(name + ": empty file");
        PilMode mode = null; // null: decide from what OpenCV returns
        if (PngStructure.isPng(data)) {
            mode = PngStructure.check(data, name).pilMode();
        } else if (JpegStructure.isJpeg(data)) {
            JpegStructure jpeg = JpegStructure.check(data, name);
            if (jpeg.components() == 4 && jpeg.adobeTransform() != 2) return CmykJpegReader.read(data, name);
            // YCCK (transform 2): OpenCV's CMYK->BGR, within one level of Pillow's (not verified on a sample).
            mode = jpeg.components() == 1 ? PilMode.L : PilMode.RGB;
        } else if (isGif(data)) {
            mode = PilMode.P;
        } else if (isBmp(data) && bmpBitsPerPixel(data) <= 8) {
            mode = bmpBitsPerPixel(data) == 1 ? PilMode.BILEVEL : PilMode.P;
        }
        try (BytePointer encoded = new BytePointer(data);
             Mat buffer = new Mat(encoded);
             Mat img = decodeWithOpenCv(buffer, name)) {
            return fromMat(img, mode, name);
        }
    }

    private static Mat decodeWithOpenCv(Mat buffer, String name) {
        Mat img;
        try {
            img = imdecode(buffer, IMREAD_UNCHANGED);
        } catch (RuntimeException e) {
            throw new ImageDecodeException(name + ": cannot decode (" + e.getMessage() + ")", e);
        }
        if (img == null || img.empty()) {
            if (img != null) img.close();
            throw new ImageDecodeException(name + ": not a decodable image (supported: JPEG, PNG, WebP, BMP, TIFF"
                    + " and, where OpenCV has them, GIF and others); convert it to PNG or JPEG");
        }
        return img;
    }

    private static DecodedImage fromMat(Mat img, PilMode mode, String name) {
        int w = img.cols(), h = img.rows(), ch = img.channels(), depth = img.depth();
        if (depth != CV_8U && depth != CV_16U)
            throw new ImageDecodeException(name + ": unsupported sample type (OpenCV depth " + depth
                    + "); only 8- and 16-bit integer images are read");
        boolean wide = depth == CV_16U;
        int[] samples = readSamples(img, w * h * ch, wide); // [H, W, ch], BGR(A) order
        if (mode == null) mode = ch == 1 ? (wide ? PilMode.I : PilMode.L) : ch == 4 ? PilMode.RGBA : PilMode.RGB;
        if (mode == PilMode.P && ch == 1) mode = PilMode.L; // a gray palette opens as L in Pillow
        int n = w * h;
        if (mode == PilMode.I) {
            int[] values = new int[n];
            for (int i = 0; i < n; i++) values[i] = samples[i * ch];
            return DecodedImage.ofInts(name, w, h, values);
        }
        int shift = wide ? 8 : 0; // Pillow's ;16B raw modes keep the high byte
        byte[] out = new byte[n * mode.bands()];
        for (int i = 0; i < n; i++) {
            int s = i * ch;
            int b = samples[s] >> shift;
            int g = ch >= 3 ? samples[s + 1] >> shift : b;
            int r = ch >= 3 ? samples[s + 2] >> shift : b;
            int a = ch == 4 ? samples[s + 3] >> shift : 255;
            switch (mode) {
                case L, BILEVEL -> out[i] = (byte) b;
                case LA -> {
                    out[2 * i] = (byte) b;
                    out[2 * i + 1] = (byte) a;
                }
                case RGBA -> {
                    out[4 * i] = (byte) r;
                    out[4 * i + 1] = (byte) g;
                    out[4 * i + 2] = (byte) b;
                    out[4 * i + 3] = (byte) a;
                }
                default -> { // RGB, P
                    out[3 * i] = (byte) r;
                    out[3 * i + 1] = (byte) g;
                    out[3 * i + 2] = (byte) b;
                }
            }
        }
        return DecodedImage.ofBytes(name, mode, w, h, out);
    }

    private static int[] readSamples(Mat img, int count, boolean wide) {
        Mat m = img.isContinuous() ? img : img.clone();
        try {
            int[] out = new int[count];
            if (wide) {
                short[] s = new short[count];
                new ShortPointer(m.data()).get(s, 0, count);
                for (int i = 0; i < count; i++) out[i] = s[i] & 0xFFFF;
            } else {
                byte[] b = new byte[count];
                m.data().get(b, 0, count);
                for (int i = 0; i < count; i++) out[i] = b[i] & 0xFF;
            }
            return out;
        } finally {
            if (m != img) m.close();
        }
    }

    private static boolean isGif(byte[] d) {
        return d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8';
    }

    private static boolean isBmp(byte[] d) { return d.length >= 30 && d[0] == 'B' && d[1] == 'M'; }

    private static int bmpBitsPerPixel(byte[] d) { return (d[28] & 0xFF) | ((d[29] & 0xFF) << 8); }
}
