package dev.palate.preprocess;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a child JVM by {@link DecompressionBombAndPngDataTest}: decodes each file argument, prints one line per file on stdout. */
public final class PngStderrProbe {
    public static void main(String[] args) throws Exception {
        for (String f : args) {
            try {
                DecodedImage im = ImageDecoder.decode(Files.readAllBytes(Path.of(f)), f);
                System.out.println(f + " ok " + im.width() + "x" + im.height());
            } catch (ImageDecodeException e) {
                System.out.println(f + " error " + e.getMessage());
            }
        }
    }
}
