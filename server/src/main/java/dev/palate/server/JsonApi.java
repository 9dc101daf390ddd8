package dev.palate.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.palate.models.ScoreResult;

/**
 * {@code POST /v1/score}: {@code {"metric": "hpsv2" | ["hpsv2", ...], "prompts": [...] | "prompt": "...",
 * "images": ["<base64>", ...]}} → {@code {"results": [{"hpsv2": x, ...} | {"error": "...", ...}, ...]}}, one entry
 * per image in order. An entry holds a number per metric that scored the item, side outputs as
 * {@code "metric.field"}, and an {@code error} (prefixed by the metric) when a metric failed on it; a failed metric
 * has no number, never 0 or NaN.
 */
final class JsonApi {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** A parsed request. */
    record Request(List<String> metrics, List<String> prompts, List<byte[]> images) {}

    private JsonApi() {}

    /** @throws RequestFailure 400 for a body that is not such a request */
    static Request parse(byte[] body, Collection<String> served) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) throw bad("the body is not a JSON object; send {\"metric\": ..., \"prompts\": [...], \"images\": [...]}");
            o = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw bad("the body is not JSON: " + e.getMessage());
        }
        List<String> metrics = metrics(o.get("metric"), served);
        JsonElement imgs = o.get("images");
        if (imgs == null || !imgs.isJsonArray()) throw bad("'images' must be a list of base64 strings");
        List<byte[]> images = new ArrayList<>();
        JsonArray a = imgs.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) throw bad("images[" + i + "] is not a base64 string");
            String s = x.getAsString();
            if (s.startsWith("data:")) s = s.substring(s.indexOf(',') + 1); // a data: URL
            try {
                images.add(Base64.getDecoder().decode(s.replaceAll("\\s+", ""))); // line breaks allowed, nothing else
            } catch (IllegalArgumentException e) {
                throw bad("images[" + i + "] is not base64: " + e.getMessage());
            }
        }
        JsonElement prompts = o.get("prompts"), prompt = o.get("prompt");
        if (prompts != null && prompt != null) throw bad("give 'prompts' (one per image) or 'prompt' (for every image), not both");
        List<String> texts = null;
        if (prompt != null) {
            if (!prompt.isJsonPrimitive() || !prompt.getAsJsonPrimitive().isString()) throw bad("'prompt' must be a string");
            texts = Collections.nCopies(images.size(), prompt.getAsString());
        } else if (prompts != null) {
            if (!prompts.isJsonArray()) throw bad("'prompts' must be a list of strings");
            texts = new ArrayList<>();
            for (JsonElement p : prompts.getAsJsonArray()) {
                if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isString()) throw bad("prompts[" + texts.size() + "] is not a string");
                texts.add(p.getAsString());
            }
        }
        return new Request(metrics, texts, images);
    }

    private static List<String> metrics(JsonElement m, Collection<String> served) {
        List<String> out = new ArrayList<>();
        if (m == null) {
            if (served.size() == 1) return List.copyOf(served);
            throw bad("'metric' is missing; this server serves " + String.join(", ", served));
        }
        if (m.isJsonPrimitive() && m.getAsJsonPrimitive().isString()) out.add(m.getAsString());
        else if (m.isJsonArray()) {
            for (JsonElement x : m.getAsJsonArray()) {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) throw bad("'metric' must be a name or a list of names");
                if (!out.contains(x.getAsString())) out.add(x.getAsString());
            }
        } else throw bad("'metric' must be a name or a list of names");
        if (out.isEmpty()) throw bad("'metric' is an empty list; this server serves " + String.join(", ", served));
        for (String name : out)
            if (!served.contains(name)) throw bad("metric '" + name + "' is not served here; this server serves " + String.join(", ", served));
        return out;
    }

    /** The reply body: one entry per image, in order. */
    static String reply(Map<String, ScoreResult> results, int size) {
        List<Map<String, Object>> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            List<String> errors = new ArrayList<>();
            for (Map.Entry<String, ScoreResult> e : results.entrySet()) {
                ScoreResult r = e.getValue();
                if (r.isOk(i)) entry.put(e.getKey(), Double.valueOf(Float.toString(r.values()[i]))); // the float's shortest decimal
                else errors.add(e.getKey() + ": " + r.error(i));
                String metric = e.getKey();
                r.fieldsOf(i).forEach((k, v) -> entry.put(metric + "." + k, v));
            }
            if (!errors.isEmpty()) entry.put("error", String.join("; ", errors));
            entries.add(entry);
        }
        return GSON.toJson(Map.of("results", entries));
    }

    /** {@code {"error": message}}. */
    static String error(String message) {
        return GSON.toJson(Map.of("error", message));
    }

    private static RequestFailure bad(String message) {
        return new RequestFailure(400, "bad_request", message);
    }
}
