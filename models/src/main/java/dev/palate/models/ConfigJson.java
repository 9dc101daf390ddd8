package dev.palate.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Reading a checkpoint's own JSON config: the file as an object, and fields with the defaults the reference uses. */
public final class ConfigJson {
    private ConfigJson() {}

    /** The file's top-level JSON object; an unreadable file or other JSON is an error naming the file. */
    public static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model config " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model config " + file + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is present and not null. */
    public static boolean has(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    public static int integer(JsonObject o, String key, int fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    public static double number(JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }

    public static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    public static boolean flag(JsonObject o, String key, boolean fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }

    /** The nested object {@code key}; {@code fallback} when it is absent or not an object. */
    public static JsonObject object(JsonObject o, String key, JsonObject fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : fallback;
    }

    /** The integer array {@code key}; {@code fallback} when it is absent or null. */
    public static int[] ints(JsonObject o, String key, int[] fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        JsonArray a = e.getAsJsonArray();
        int[] s = new int[a.size()];
        for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsInt();
        return s;
    }
}
