package dev.palate.tokenizers.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads testdata JSONL rows and turns JSON into the Java values a template sees (dict order kept). */
final class FixtureRows {

    private FixtureRows() {}

    static Path testdata(String relative) {
        return Path.of(System.getProperty("palate.testdata")).resolve(relative);
    }

    static List<JsonObject> jsonl(String relative) {
        try {
            List<JsonObject> rows = new ArrayList<>();
            for (String line : Files.readAllLines(testdata(relative), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON → null / Boolean / Long / Double / String / List / LinkedHashMap. */
    static Object java(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isString()) {
                return p.getAsString();
            }
            String text = p.getAsString();
            return text.matches("-?\\d+") ? (Object) Long.parseLong(text) : (Object) p.getAsDouble();
        }
        if (e.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> list.add(java(x)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        e.getAsJsonObject().entrySet().forEach(x -> map.put(x.getKey(), java(x.getValue())));
        return map;
    }

    /** The first index where two strings differ, with context, for failure messages. */
    static String firstDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "first difference at char " + i + " of " + expected.length() + "/" + actual.length()
                + "\n  expected …" + PyStrings.repr(expected.substring(from, Math.min(expected.length(), i + 40)))
                + "\n  actual   …" + PyStrings.repr(actual.substring(from, Math.min(actual.length(), i + 40)));
    }
}
