package dev.palate.preprocess;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a 4-component (CMYK) JPEG's raw samples with the JDK's JPEG reader ({@code readRaster} does no colour
 * conversion). OpenCV cannot be used here: it converts CMYK to BGR itself with {@code k - ((255 - c) * k >> 8)},
 * which differs by one level from Pillow, and it never returns the four channels.
 *
 * <p>Pillow opens every 4-component JPEG as mode CMYK with raw mode {@code CMYK;I} (Adobe's inverted storage,
 * assumed even without an APP14 marker), so the stored samples are inverted here. YCCK files (Adobe transform 2)
 * are not read here: the caller falls back to OpenCV for them.
 */
final class CmykJpegReader {
    private CmykJpegReader() {}

    static DecodedImage read(byte[] data, String name) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) throw new ImageDecodeException(name + ": no JPEG reader in this JDK for a CMYK JPEG");
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            Raster raster = reader.readRaster(0, null);
            if (raster.getNumBands() != 4)
                throw new ImageDecodeException(name + ": expected 4 channels in a CMYK JPEG, the JDK reader gave " + raster.getNumBands());
            int w = raster.getWidth(), h = raster.getHeight();
            int[] samples = raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, (int[]) null); // [H, W, 4]
            byte[] cmyk = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) cmyk[i] = (byte) (255 - samples[i]);
            return DecodedImage.ofBytes(name, PilMode.CMYK, w, h, cmyk);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageDecodeException ide) throw ide;
            throw new ImageDecodeException(name + ": cannot decode CMYK JPEG (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }
}
