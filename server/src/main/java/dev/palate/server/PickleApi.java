package dev.palate.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.models.ScoreResult;

/**
 * The reward-server protocol of RL trainers for image generators (Flow-GRPO-style reward services, one scorer per
 * URL): the body is {@code pickle.dumps({"images": [bytes, ...], "prompts": [str, ...], "metadata": {...}})}, the
 * reply {@code pickle.dumps({"scores": [float, ...]})} with 200, or {@code {"error": str}} with an error status, which
 * the clients detect by the {@code error} key.
 *
 * <p>When some items of a request fail (an undecodable image, a non-finite model output) the reply is status 500
 * with {@code {"error": "k of n items failed: ...", "scores": [float or None, ...], "errors": [None or str, ...]}}: a
 * client that checks {@code error} stops as it does for any failure, and one that reads {@code scores} finds None
 * (never a number) where an item failed, which {@code sum}, numpy and torch refuse to average.
 */
final class PickleApi {
    /** What a payload asks for: the image bytes and, when given, one prompt per image. */
    record Payload(List<byte[]> images, List<String> prompts) {}

    private PickleApi() {}

    /**
     * @throws PickleRefusedException for a pickle that is not plain data
     * @throws RequestFailure         400 for data that is not a payload
     */
    static Payload parse(byte[] body) {
        Object root = DataUnpickler.load(body);
        if (!(root instanceof Map<?, ?> map))
            throw bad("the pickle holds " + DataUnpickler.describe(root) + "; send a dict {'images': [...], 'prompts': [...], 'metadata': {...}}");
        Object images = map.get("images");
        if (images == null) throw bad("the payload has no 'images' (keys: " + keys(map) + ")");
        List<?> list = items(images, "images");
        List<byte[]> bytes = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object x = list.get(i);
            if (x instanceof byte[] b) bytes.add(b);
            else if (x instanceof String)
                throw bad("images[" + i + "] is a str, not image bytes: send the encoded JPEG or PNG bytes (palate serve never opens a path a client sends)");
            else throw bad("images[" + i + "] is " + DataUnpickler.describe(x) + ", not the encoded JPEG or PNG bytes");
        }
        List<String> prompts = null;
        Object p = map.get("prompts");
        if (p != null) {
            List<?> pl = items(p, "prompts");
            prompts = new ArrayList<>(pl.size());
            for (int i = 0; i < pl.size(); i++) {
                Object x = pl.get(i);
                if (x != null && !(x instanceof String)) throw bad("prompts[" + i + "] is " + DataUnpickler.describe(x) + ", not a str");
                prompts.add((String) x);
            }
        }
        return new Payload(bytes, prompts);
    }

    /** The reply for a scored request and its status: 200 with scores, or 500 when an item failed (see the class comment). */
    static Reply reply(ScoreResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> scores = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) scores.add(r.isOk(i) ? (Object) (double) r.values()[i] : null);
        int failed = r.failedCount();
        if (failed > 0) {
            StringBuilder msg = new StringBuilder(failed + " of " + r.size() + " items failed");
            for (int i = 0, shown = 0; i < r.size() && shown < 3; i++)
                if (!r.isOk(i)) {
                    msg.append(shown++ == 0 ? ": " : "; ").append(r.error(i));
                }
            if (failed > 3) msg.append("; ...");
            out.put("error", msg.toString());
        }
        out.put("scores", scores);
        if (failed > 0) out.put("errors", new ArrayList<>(r.errors()));
        if (!r.fields().isEmpty()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            r.fields().forEach((k, v) -> fields.put(k, new ArrayList<>(v)));
            out.put("fields", fields);
        }
        return new Reply(failed > 0 ? 500 : 200, PickleWriter.dumps(out));
    }

    /** {@code pickle.dumps({"error": message})}. */
    static byte[] error(String message) {
        return PickleWriter.dumps(Map.of("error", message));
    }

    record Reply(int status, byte[] body) {}

    private static List<?> items(Object o, String key) {
        if (o instanceof List<?> l) return l;
        if (o instanceof DataUnpickler.Tuple t) return t.items();
        throw bad("'" + key + "' is " + DataUnpickler.describe(o) + ", not a list");
    }

    private static String keys(Map<?, ?> m) {
        List<String> k = new ArrayList<>();
        for (Object o : m.keySet()) k.add(String.valueOf(o));
        return String.join(", ", k);
    }

    private static RequestFailure bad(String message) {
        return new RequestFailure(400, "bad_request", message);
    }
}
