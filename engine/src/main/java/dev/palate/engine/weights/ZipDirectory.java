package dev.palate.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records of a zip archive as {@code torch.save} writes it (miniz, ZIP64 when large): names, compression method,
 * sizes and where each record's data start, found from the central directory and each local header. No data are read.
 */
final class ZipDirectory {
    private static final int EOCD_SIG = 0x06054b50, ZIP64_LOCATOR_SIG = 0x07064b50, ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50, LOCAL_SIG = 0x04034b50;
    private static final int MAX_COMMENT = 0xFFFF;

    /** One record; {@code dataStart} is the absolute file offset of its (possibly compressed) bytes. */
    record Record(String name, int method, long compressedSize, long size, long dataStart) {
        boolean stored() { return method == 0; }
    }

    private final Map<String, Record> records;

    private ZipDirectory(Map<String, Record> records) { this.records = records; }

    Map<String, Record> records() { return Collections.unmodifiableMap(records); }

    Record get(String name) { return records.get(name); }

    static ZipDirectory read(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        int tailLen = (int) Math.min(size, 22 + MAX_COMMENT);
        ByteBuffer tail = SafetensorsFile.readFully(ch, size - tailLen, tailLen, path).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG) { eocd = i; break; }
        }
        if (eocd < 0)
            throw new WeightFileException(path, "no zip end-of-central-directory record: the file is truncated (an incomplete"
                    + " download?) or not a torch checkpoint; download it again");
        long eocdPos = size - tailLen + eocd;
        long entries = tail.getShort(eocd + 10) & 0xFFFFL;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            if (eocdPos < 20) throw corrupt(path, "ZIP64 locator missing");
            ByteBuffer loc = SafetensorsFile.readFully(ch, eocdPos - 20, 20, path).order(ByteOrder.LITTLE_ENDIAN);
            if (loc.getInt(0) != ZIP64_LOCATOR_SIG) throw corrupt(path, "ZIP64 locator missing");
            long z64 = loc.getLong(8);
            if (z64 < 0 || z64 + 56 > eocdPos) throw corrupt(path, "ZIP64 end record out of range");
            ByteBuffer z = SafetensorsFile.readFully(ch, z64, 56, path).order(ByteOrder.LITTLE_ENDIAN);
            if (z.getInt(0) != ZIP64_EOCD_SIG) throw corrupt(path, "bad ZIP64 end record");
            entries = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocdPos || cdSize > Integer.MAX_VALUE)
            throw new WeightFileException(path, "the zip central directory [" + cdOffset + ", +" + cdSize + ") does not fit in the"
                    + " file; the file is truncated or corrupt");
        ByteBuffer cd = SafetensorsFile.readFully(ch, cdOffset, (int) cdSize, path).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Record> records = new LinkedHashMap<>();
        int p = 0;
        for (long n = 0; n < entries; n++) {
            if (p + 46 > cdSize || cd.getInt(p) != CENTRAL_SIG) throw corrupt(path, "bad central directory entry " + n);
            int method = cd.getShort(p + 10) & 0xFFFF;
            long comp = cd.getInt(p + 20) & 0xFFFFFFFFL;
            long uncomp = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLen = cd.getShort(p + 28) & 0xFFFF, extraLen = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            long localOffset = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if (p + 46L + nameLen + extraLen + commentLen > cdSize) throw corrupt(path, "central directory entry " + n + " overruns");
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values of the fields that are 0xFFFFFFFF, in this order
            int e = p + 46 + nameLen, eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = cd.getShort(e) & 0xFFFF, len = cd.getShort(e + 2) & 0xFFFF;
                if (id == 0x0001) {
                    int q = e + 4;
                    if (uncomp == 0xFFFFFFFFL && q + 8 <= e + 4 + len) { uncomp = cd.getLong(q); q += 8; }
                    if (comp == 0xFFFFFFFFL && q + 8 <= e + 4 + len) { comp = cd.getLong(q); q += 8; }
                    if (localOffset == 0xFFFFFFFFL && q + 8 <= e + 4 + len) { localOffset = cd.getLong(q); }
                }
                e += 4 + len;
            }
            long dataStart = localDataStart(path, ch, name, localOffset, cdOffset);
            if (comp < 0 || dataStart + comp > cdOffset)
                throw new WeightFileException(path, "zip record '" + name + "' (" + comp + " bytes at " + dataStart
                        + ") runs past the data area; the file is truncated or corrupt");
            records.put(name, new Record(name, method, comp, uncomp, dataStart));
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new ZipDirectory(records);
    }

    private static long localDataStart(Path path, FileChannel ch, String name, long localOffset, long limit) throws IOException {
        if (localOffset < 0 || localOffset + 30 > limit) throw corrupt(path, "local header of '" + name + "' out of range");
        ByteBuffer h = SafetensorsFile.readFully(ch, localOffset, 30, path).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != LOCAL_SIG) throw corrupt(path, "bad local header for '" + name + "'");
        return localOffset + 30 + (h.getShort(26) & 0xFFFF) + (h.getShort(28) & 0xFFFF);
    }

    private static WeightFileException corrupt(Path path, String what) {
        return new WeightFileException(path, "corrupt zip archive (" + what + "); download the checkpoint again");
    }
}
