package dev.palate.engine.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes a zip the way torch.save does (records STORED, data 64-byte aligned), or with chosen records deflated. */
final class TestZip {
    private TestZip() {}

    static void write(Path path, Map<String, byte[]> records, Set<String> deflated) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] data = e.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            int method = deflated.contains(e.getKey()) ? 8 : 0;
            byte[] stored = method == 8 ? deflate(data) : data;
            long offset = out.size();
            int pad = (int) ((64 - (offset + 30 + name.length + 4) % 64) % 64);
            le(out, 0x04034b50, 4); le(out, 20, 2); le(out, 0, 2); le(out, method, 2); le(out, 0, 2); le(out, 0x21, 2);
            le(out, crc.getValue(), 4); le(out, stored.length, 4); le(out, data.length, 4);
            le(out, name.length, 2); le(out, 4 + pad, 2);
            out.writeBytes(name);
            le(out, 0x4246, 2); le(out, pad, 2); out.writeBytes(new byte[pad]);
            out.writeBytes(stored);
            le(central, 0x02014b50, 4); le(central, 20, 2); le(central, 20, 2); le(central, 0, 2); le(central, method, 2);
            le(central, 0, 2); le(central, 0x21, 2); le(central, crc.getValue(), 4); le(central, stored.length, 4);
            le(central, data.length, 4); le(central, name.length, 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2);
            le(central, 0, 2); le(central, 0, 4); le(central, offset, 4);
            central.writeBytes(name);
        }
        long cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        le(out, 0x06054b50, 4); le(out, 0, 2); le(out, 0, 2); le(out, records.size(), 2); le(out, records.size(), 2);
        le(out, central.size(), 4); le(out, cdOffset, 4); le(out, 0, 2);
        Files.write(path, out.toByteArray());
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }
}
