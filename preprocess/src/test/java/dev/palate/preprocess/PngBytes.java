package dev.palate.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Hand-built PNG files (chunk by chunk) for decoder tests: bombs, cut data, odd ancillary chunks. */
final class PngBytes {
    private PngBytes() {}

    /** An 8-bit RGB PNG of {@code rows} (filtered rows, filter byte first) compressed as given, plus {@code extra} chunks before IDAT. */
    static byte[] rgb(int w, int h, byte[] filteredRows, byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = new byte[13];
        put32(ihdr, 0, w);
        put32(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = 2;
        out.writeBytes(chunk("IHDR", ihdr));
        for (byte[] e : extra) out.writeBytes(e);
        out.writeBytes(chunk("IDAT", deflate(filteredRows)));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** {@code h} rows of {@code w} RGB pixels, filter type 0, a pattern. */
    static byte[] rows(int w, int h) {
        byte[] r = new byte[h * (1 + 3 * w)];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < 3 * w; x++) r[y * (1 + 3 * w) + 1 + x] = (byte) (x * 5 + y * 11);
        return r;
    }

    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        put32(out, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        put32(out, 8 + data.length, (int) crc.getValue());
        return out;
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static void put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
