package dev.palate.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import dev.palate.engine.DType;

/**
 * A {@code .safetensors} file, memory-mapped: {@code [u64 LE header length][JSON header][data]}, each header entry
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} relative to the data region.
 *
 * <p>The header is validated when the file is opened (sane length, valid UTF-8 JSON, no duplicate keys, known dtypes,
 * offsets inside the data region and not overlapping, byte length = dtype size × elements); any violation is a
 * {@link WeightFileException} naming the file and the key. Tensors are zero-copy views on the mapping, owned by this
 * object: do not close them, and do not use them after {@link #close()}.
 */
public final class SafetensorsFile implements TensorSource {
    /** The reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final TypeAdapter<JsonElement> JSON_ELEMENT = new Gson().getAdapter(JsonElement.class);

    private record Entry(TensorInfo info, long begin, long end) {}

    private final Path path;
    private final Map<String, Entry> entries; // header order
    private final Map<String, String> metadata;
    private final long dataStart;
    private final MappedFile mapped;
    private final Map<String, Tensor> tensors = new HashMap<>();

    private SafetensorsFile(Path path, Map<String, Entry> entries, Map<String, String> metadata, long dataStart, long fileSize) {
        this.path = path;
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
        this.mapped = new MappedFile(path, fileSize);
    }

    /** Reads and validates the header; the data are mapped on the first {@link #tensor} call. */
    public static SafetensorsFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8)
                throw new WeightFileException(path, "only " + fileSize + " bytes; a safetensors file starts with an 8-byte header length");
            ByteBuffer lenBuf = readFully(ch, 0, 8, path).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES)
                throw new WeightFileException(path, "header length " + Long.toUnsignedString(headerLen)
                        + " is not sane (expected 2 bytes to 100 MiB); this is not a safetensors file or it is corrupt");
            if (8 + headerLen > fileSize)
                throw new WeightFileException(path, "header length " + headerLen + " runs past the end of the file ("
                        + fileSize + " bytes); the file is truncated");
            ByteBuffer header = readFully(ch, 8, (int) headerLen, path);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header).toString();
            } catch (CharacterCodingException e) {
                throw new WeightFileException(path, "the header is not valid UTF-8; the file is corrupt", e);
            }
            long dataStart = 8 + headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(path, json, fileSize - dataStart, metadata);
            return new SafetensorsFile(path, entries, Collections.unmodifiableMap(metadata), dataStart, fileSize);
        } catch (IOException e) {
            throw new WeightFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Entry> parseHeader(Path path, String json, long dataLen, Map<String, String> metadata) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonReader r = new JsonReader(new java.io.StringReader(json))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) throw new WeightFileException(path, "the header is not a JSON object");
            r.beginObject();
            boolean sawMetadata = false;
            while (r.hasNext()) {
                String key = r.nextName();
                JsonElement value = JSON_ELEMENT.read(r); // strict, unlike JsonParser.parseReader
                if (key.equals("__metadata__")) {
                    if (sawMetadata) throw new WeightFileException(path, "the header has two __metadata__ entries");
                    sawMetadata = true;
                    parseMetadata(path, value, metadata);
                    continue;
                }
                if (entries.containsKey(key)) throw new WeightFileException(path, "the header lists tensor '" + key + "' twice");
                entries.put(key, parseEntry(path, key, value, dataLen));
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT)
                throw new WeightFileException(path, "the header has data after its JSON object");
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new WeightFileException(path, "the header is not valid JSON (" + e.getMessage() + "); the file is corrupt", e);
        }
        checkNoOverlap(path, entries);
        return entries;
    }

    private static void parseMetadata(Path path, JsonElement value, Map<String, String> out) {
        if (!value.isJsonObject()) throw new WeightFileException(path, "__metadata__ is not a JSON object of strings");
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString())
                throw new WeightFileException(path, "__metadata__ entry '" + e.getKey() + "' is not a string");
            out.put(e.getKey(), v.getAsString());
        }
    }

    private static Entry parseEntry(Path path, String key, JsonElement value, long dataLen) {
        String where = "tensor '" + key + "': ";
        if (!value.isJsonObject()) throw new WeightFileException(path, where + "header entry is not a JSON object");
        JsonObject o = value.getAsJsonObject();
        JsonElement dt = o.get("dtype");
        if (dt == null || !dt.isJsonPrimitive() || !dt.getAsJsonPrimitive().isString())
            throw new WeightFileException(path, where + "missing or non-string \"dtype\"");
        DType dtype = DType.fromSafetensors(dt.getAsString());
        if (dtype == null)
            throw new WeightFileException(path, where + "unsupported dtype '" + dt.getAsString()
                    + "' (Palate reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL); convert the file to one of these");
        long[] shape = longArray(path, where + "\"shape\"", o.get("shape"), -1);
        long[] offsets = longArray(path, where + "\"data_offsets\"", o.get("data_offsets"), 2);
        long begin = offsets[0], end = offsets[1];
        if (begin > end) throw new WeightFileException(path, where + "data_offsets [" + begin + ", " + end + "] begin after end");
        if (end > dataLen)
            throw new WeightFileException(path, where + "data_offsets [" + begin + ", " + end + "] run past the data region ("
                    + dataLen + " bytes); the file is truncated or its header is corrupt");
        TensorInfo info = new TensorInfo(key, dtype, shape);
        long expected;
        try {
            expected = info.byteSize();
        } catch (ArithmeticException e) {
            throw new WeightFileException(path, where + "shape overflows 64 bits");
        }
        if (end - begin != expected)
            throw new WeightFileException(path, where + "holds " + (end - begin) + " bytes but dtype " + dtype + " × shape "
                    + java.util.Arrays.toString(shape) + " needs " + expected);
        return new Entry(info, begin, end);
    }

    private static long[] longArray(Path path, String what, JsonElement e, int requiredLength) {
        if (e == null || !e.isJsonArray()) throw new WeightFileException(path, what + " is missing or not an array");
        JsonArray a = e.getAsJsonArray();
        if (requiredLength >= 0 && a.size() != requiredLength)
            throw new WeightFileException(path, what + " has " + a.size() + " elements, expected " + requiredLength);
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            long v;
            try {
                if (!x.isJsonPrimitive() || !((JsonPrimitive) x).isNumber()) throw new ArithmeticException();
                v = x.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                throw new WeightFileException(path, what + " element " + i + " (" + x + ") is not an integer");
            }
            if (v < 0) throw new WeightFileException(path, what + " element " + i + " is negative (" + v + ")");
            out[i] = v;
        }
        return out;
    }

    private static void checkNoOverlap(Path path, Map<String, Entry> entries) {
        List<Entry> byBegin = new ArrayList<>();
        for (Entry e : entries.values()) if (e.end > e.begin) byBegin.add(e);
        byBegin.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            Entry a = byBegin.get(i - 1), b = byBegin.get(i);
            if (b.begin < a.end)
                throw new WeightFileException(path, "tensors '" + a.info.key() + "' [" + a.begin + ", " + a.end + ") and '"
                        + b.info.key() + "' [" + b.begin + ", " + b.end + ") overlap; the header is corrupt");
        }
    }

    static ByteBuffer readFully(FileChannel ch, long pos, int n, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) throw new WeightFileException(path, "unexpected end of file at byte " + (pos + b.position()) + "; truncated");
        }
        b.flip();
        return b;
    }

    @Override
    public Path file() { return path; }

    /** Tensor keys in header order ({@code __metadata__} excluded). */
    @Override
    public Set<String> keys() { return Collections.unmodifiableSet(entries.keySet()); }

    @Override
    public TensorInfo info(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.info;
    }

    /** The {@code __metadata__} strings (empty map when absent). */
    @Override
    public Map<String, String> metadata() { return metadata; }

    /** A zero-copy CPU view of {@code key} in the file's dtype; owned by this file. */
    @Override
    public synchronized Tensor tensor(String key) {
        Entry e = entries.get(key);
        if (e == null) throw new WeightFileException(path, "no tensor '" + key + "' (the file has " + entries.size() + " tensors)");
        return tensors.computeIfAbsent(key, k -> mapped.contiguous(dataStart + e.begin, e.info.dtype(), e.info.shape()));
    }

    @Override
    public synchronized void close() {
        tensors.clear();
        mapped.close();
    }
}
