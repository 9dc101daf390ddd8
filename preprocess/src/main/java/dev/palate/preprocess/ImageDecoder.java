package dev.palate.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR_RGB;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
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
 *   <li>3-component JPEGs are decoded with {@code IMREAD_COLOR_RGB}: libjpeg-turbo writes RGB itself (the same
 *       colour conversion as for BGR), so no channel swap is needed.</li>
 *   <li>Alpha is kept (mode RGBA/LA): P1 resizes premultiplied, {@code convert("RGB")} drops it.</li>
 *   <li>16-bit PNGs as Pillow 9.4 opens them: grayscale as mode I (values 0..65535; {@code convert("RGB")} then
 *       clips to 255, it does not scale), colour and gray+alpha reduced to their high byte (raw mode {@code ;16B}).
 *       Pillow 10.3+ opens gray as {@code I;16} and (11+) resizes it clipping each pass, so its P1 pixels differ;
 *       testdata/PROVENANCE.md says how.</li>
 *   <li>Truncated or corrupt JPEG and PNG files are errors naming the file (OpenCV alone would return a partial
 *       image); Pillow also refuses them by default. PNG image data is checked in Java first ({@link PngImageData})
 *       and libpng is handed only the chunks decoding needs, so libpng never prints on stderr.</li>
 *   <li>The declared size is checked before decoding ({@link DecodeLimits}, Pillow's limit by default), so a small
 *       file declaring a huge image is refused at once, naming the file and the size.</li>
 * </ul>
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Reads and decodes a file within Pillow's default size limit; errors name the file. */
    public static DecodedImage decode(Path path) {
        return decode(path, DecodeLimits.PILLOW);
    }

    /** Reads and decodes a file; errors name the file. */
    public static DecodedImage decode(Path path, DecodeLimits limits) {
        return decode(read(path), path.toString(), limits);
    }

    /** A file's bytes; a missing or unreadable file is an {@link ImageDecodeException} naming it. */
    public static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(path + ": no such file");
        } catch (IOException e) {
            throw new ImageDecodeException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes encoded bytes within Pillow's default size limit; {@code name} is used in messages and kept as {@link DecodedImage#name()}. */
    public static DecodedImage decode(byte[] data, String name) {
        return decode(data, name, DecodeLimits.PILLOW);
    }

    /** Decodes encoded bytes; {@code name} is used in messages and kept as {@link DecodedImage#name()}. */
    public static DecodedImage decode(byte[] data, String name, DecodeLimits limits) {
        if (data.length == 0) throw new ImageDecodeException(name + ": empty file");
        ImageHeader header = ImageHeader.probe(data);
        limits.check(header, name);
        PilMode mode = null; // null: decide from what OpenCV returns
        int flags = IMREAD_UNCHANGED;
        boolean rgbOrder = false;
        if (PngStructure.isPng(data)) {
            PngStructure png = PngStructure.check(data, name);
            mode = png.pilMode();
            data = png.critical();
        } else if (JpegStructure.isJpeg(data)) {
            JpegStructure jpeg = JpegStructure.check(data, name);
            if (jpeg.components() == 4 && jpeg.adobeTransform() != 2) return CmykJpegReader.read(data, name);
            // YCCK (transform 2): OpenCV's CMYK->BGR, within one level of Pillow's (not verified on a sample).
            mode = jpeg.components() == 1 ? PilMode.L : PilMode.RGB;
            if (jpeg.components() == 3) {
                flags = IMREAD_COLOR_RGB | IMREAD_ANYDEPTH | IMREAD_IGNORE_ORIENTATION;
                rgbOrder = true;
            }
        } else if (isGif(data)) {
            mode = PilMode.P;
        } else if (isBmp(data) && bmpBitsPerPixel(data) <= 8) {
            mode = bmpBitsPerPixel(data) == 1 ? PilMode.BILEVEL : PilMode.P;
        }
        try (BytePointer encoded = new BytePointer(data);
             Mat buffer = new Mat(encoded);
             Mat img = decodeWithOpenCv(buffer, flags, name)) {
            limits.check(new ImageHeader(header.format(), img.cols(), img.rows()), name); // formats whose header we do not read
            return fromMat(img, mode, rgbOrder, name);
        }
    }

    private static Mat decodeWithOpenCv(Mat buffer, int flags, String name) {
        Mat img;
        try {
            img = imdecode(buffer, flags);
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

    /** {@code rgbOrder}: the Mat's channels are R, G, B (IMREAD_COLOR_RGB), not OpenCV's B, G, R(, A). */
    private static DecodedImage fromMat(Mat img, PilMode mode, boolean rgbOrder, String name) {
        int w = img.cols(), h = img.rows(), ch = img.channels(), depth = img.depth();
        if (depth != CV_8U && depth != CV_16U)
            throw new ImageDecodeException(name + ": unsupported sample type (OpenCV depth " + depth
                    + "); only 8- and 16-bit integer images are read");
        boolean wide = depth == CV_16U;
        if (mode == null) mode = ch == 1 ? (wide ? PilMode.I : PilMode.L) : ch == 4 ? PilMode.RGBA : PilMode.RGB;
        if (mode == PilMode.P && ch == 1) mode = PilMode.L; // a gray palette opens as L in Pillow
        long n = (long) w * h;
        if (n * Math.max(ch, mode.bands()) * (wide ? 2 : 1) > Integer.MAX_VALUE - 16)
            throw new ImageDecodeException(name + ": " + w + "x" + h + " with " + ch + " channels is too large to hold in memory"
                    + " as one image (over 2 GB of samples)");
        Mat m = img.isContinuous() ? img : img.clone();
        try {
            if (wide) return fromSamples16(m, w, h, ch, mode, rgbOrder, name);
            byte[] raw = new byte[(int) n * ch]; // [H, W, ch], BGR(A) order unless rgbOrder
            m.data().get(raw, 0, raw.length);
            return fromSamples8(raw, w, h, ch, mode, rgbOrder, name);
        } finally {
            if (m != img) m.close();
        }
    }

    /**
     * 8-bit samples in BGR(A) order (RGB with {@code rgbOrder}) to the mode's bands; RGB from 3 channels reuses the
     * array (as it is, or swapped in place).
     */
    private static DecodedImage fromSamples8(byte[] raw, int w, int h, int ch, PilMode mode, boolean rgbOrder, String name) {
        int n = w * h;
        if (ch == 3 && rgbOrder && mode == PilMode.RGB) return DecodedImage.ofBytes(name, mode, w, h, raw);
        if (rgbOrder) throw new IllegalStateException(name + ": " + ch + " RGB-ordered channels for mode " + mode);
        if (ch == 3 && (mode == PilMode.RGB || mode == PilMode.P)) {
            for (int i = 0; i < n; i++) {
                byte b = raw[3 * i];
                raw[3 * i] = raw[3 * i + 2];
                raw[3 * i + 2] = b;
            }
            return DecodedImage.ofBytes(name, mode, w, h, raw);
        }
        if (ch == 1 && (mode == PilMode.L || mode == PilMode.BILEVEL)) return DecodedImage.ofBytes(name, mode, w, h, raw);
        byte[] out = new byte[n * mode.bands()];
        for (int i = 0; i < n; i++) {
            int s = i * ch;
            byte b = raw[s];
            byte g = ch >= 3 ? raw[s + 1] : b;
            byte r = ch >= 3 ? raw[s + 2] : b;
            byte a = ch == 4 ? raw[s + 3] : ch == 2 ? raw[s + 1] : (byte) 255;
            put(out, i, mode, r, g, b, a);
        }
        return DecodedImage.ofBytes(name, mode, w, h, out);
    }

    /** 16-bit samples: mode I keeps the gray value; every other mode keeps the high byte (Pillow's ;16B raw modes). */
    private static DecodedImage fromSamples16(Mat m, int w, int h, int ch, PilMode mode, boolean rgbOrder, String name) {
        int n = w * h;
        short[] s = new short[n * ch];
        new ShortPointer(m.data()).get(s, 0, s.length);
        if (mode == PilMode.I) {
            int[] values = new int[n];
            for (int i = 0; i < n; i++) values[i] = s[i * ch] & 0xFFFF;
            return DecodedImage.ofInts(name, w, h, values);
        }
        byte[] out = new byte[n * mode.bands()];
        for (int i = 0; i < n; i++) {
            int p = i * ch;
            int bi = rgbOrder && ch >= 3 ? p + 2 : p, ri = rgbOrder ? p : p + 2;
            byte b = (byte) ((s[bi] & 0xFFFF) >> 8);
            byte g = ch >= 3 ? (byte) ((s[p + 1] & 0xFFFF) >> 8) : b;
            byte r = ch >= 3 ? (byte) ((s[ri] & 0xFFFF) >> 8) : b;
            byte a = ch == 4 ? (byte) ((s[p + 3] & 0xFFFF) >> 8) : ch == 2 ? (byte) ((s[p + 1] & 0xFFFF) >> 8) : (byte) 255;
            put(out, i, mode, r, g, b, a);
        }
        return DecodedImage.ofBytes(name, mode, w, h, out);
    }

    private static void put(byte[] out, int i, PilMode mode, byte r, byte g, byte b, byte a) {
        switch (mode) {
            case L, BILEVEL -> out[i] = b;
            case LA -> {
                out[2 * i] = b;
                out[2 * i + 1] = a;
            }
            case RGBA -> {
                out[4 * i] = r;
                out[4 * i + 1] = g;
                out[4 * i + 2] = b;
                out[4 * i + 3] = a;
            }
            default -> { // RGB, P
                out[3 * i] = r;
                out[3 * i + 1] = g;
                out[3 * i + 2] = b;
            }
        }
    }

    private static boolean isGif(byte[] d) {
        return d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8';
    }

    private static boolean isBmp(byte[] d) { return d.length >= 30 && d[0] == 'B' && d[1] == 'M'; }

    private static int bmpBitsPerPixel(byte[] d) { return (d[28] & 0xFF) | ((d[29] & 0xFF) << 8); }
}
