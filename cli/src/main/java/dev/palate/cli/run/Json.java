package dev.palate.cli.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** JSON values as plain Java values (String, Long/Double, Boolean, List, Map), so fields round-trip as given. */
final class Json {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {}

    static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) return p.getAsBoolean();
            if (p.isString()) return p.getAsString();
            String text = p.getAsString();
            if (text.matches("-?\\d{1,18}")) return Long.parseLong(text);
            return p.getAsBigDecimal(); // keeps the number exactly as written
        }
        if (e.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) list.add(toJava(x));
            return list;
        }
        return fields(e.getAsJsonObject());
    }

    /** An object's fields as plain Java values, in the object's order. */
    static LinkedHashMap<String, Object> fields(JsonObject o) {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> x : o.entrySet()) map.put(x.getKey(), toJava(x.getValue()));
        return map;
    }
}
