package dev.palate.models.fid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Test access to testdata/fid-style: a plain-Java safetensors reader (F32/F64) and the weight manifest. */
public final class FidFixtures {
    private FidFixtures() {}

    public static Path dir() {
        return Path.of(System.getProperty("palate.testdata", "../testdata")).resolve("fid-style");
    }

    public static Path image(String name) { return dir().resolve("images").resolve(name); }

    /** A tensor of a safetensors file as doubles (F32 widened exactly). */
    public static double[] read(Path file, String key) {
        try {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) b.getLong(0);
            JsonObject header = JsonParser.parseString(new String(all, 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject t = header.getAsJsonObject(key);
            if (t == null) throw new IllegalArgumentException(file + ": no tensor " + key);
            JsonArray off = t.getAsJsonArray("data_offsets");
            int start = 8 + n + off.get(0).getAsInt(), end = 8 + n + off.get(1).getAsInt();
            String dtype = t.get("dtype").getAsString();
            int size = dtype.equals("F64") ? 8 : 4;
            double[] out = new double[(end - start) / size];
            for (int i = 0; i < out.length; i++)
                out[i] = size == 8 ? b.getDouble(start + 8 * i) : b.getFloat(start + 4 * i);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Raw float32 bits of a tensor (for bit-exact checks). */
    public static int[] readF32Bits(Path file, String key) {
        double[] v = read(file, key);
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits((float) v[i]);
        return bits;
    }

    public static Path expected() { return dir().resolve("expected.safetensors"); }

    /** key to shape, for {@code network} = "inception" or "vgg19_features", in manifest order. */
    public static Map<String, long[]> manifest(String network) {
        try {
            JsonObject m = JsonParser.parseString(Files.readString(dir().resolve("weights_manifest.json"))).getAsJsonObject();
            Map<String, long[]> out = new LinkedHashMap<>();
            for (JsonElement e : m.getAsJsonArray(network)) {
                JsonObject o = e.getAsJsonObject();
                JsonArray s = o.getAsJsonArray("shape");
                long[] shape = new long[s.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsLong();
                out.put(o.get("key").getAsString(), shape);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long manifestSeed() {
        try {
            return JsonParser.parseString(Files.readString(dir().resolve("weights_manifest.json"))).getAsJsonObject().get("seed").getAsLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
