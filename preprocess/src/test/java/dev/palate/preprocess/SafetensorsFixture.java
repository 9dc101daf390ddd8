package dev.palate.preprocess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Reads F32 tensors and metadata of a fixture safetensors file (test-only; no dependency on the weights code). */
final class SafetensorsFixture {
    private final JsonObject header;
    private final ByteBuffer data;

    private SafetensorsFixture(JsonObject header, ByteBuffer data) {
        this.header = header;
        this.data = data;
    }

    static SafetensorsFixture read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        JsonObject header = JsonParser.parseString(new String(all, 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
        return new SafetensorsFixture(header, ByteBuffer.wrap(all, 8 + n, all.length - 8 - n).slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    float[] floats(String key) {
        JsonObject t = header.getAsJsonObject(key);
        if (!t.get("dtype").getAsString().equals("F32")) throw new IllegalArgumentException(key + " is not F32");
        JsonArray off = t.getAsJsonArray("data_offsets");
        int start = off.get(0).getAsInt(), end = off.get(1).getAsInt();
        float[] out = new float[(end - start) / 4];
        for (int i = 0; i < out.length; i++) out[i] = data.getFloat(start + 4 * i);
        return out;
    }

    long[] shape(String key) {
        JsonArray s = header.getAsJsonObject(key).getAsJsonArray("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).getAsLong();
        return out;
    }

    String metadata(String key) { return header.getAsJsonObject("__metadata__").get(key).getAsString(); }

    List<String> imageOrder() {
        List<String> out = new ArrayList<>();
        for (var e : JsonParser.parseString(metadata("image_order")).getAsJsonArray()) out.add(e.getAsString());
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b, int bOffset) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[bOffset + i]));
        return m;
    }
}
