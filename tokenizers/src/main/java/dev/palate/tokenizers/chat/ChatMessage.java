package dev.palate.tokenizers.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders for the messages {@link ChatTemplate#render} takes, shaped as the Python dicts transformers hands the
 * template ({@code {"role": ..., "content": ...}}; content a string or a list of parts
 * {@code {"type": "image", "image": ...}} / {@code {"type": "text", "text": ...}}). Keys keep insertion order, as
 * Python dicts do. The maps are unmodifiable.
 * <pre>{@code
 * List<Map<String, Object>> messages = List.of(ChatMessage.user(List.of(
 *         ChatMessage.imagePart(), ChatMessage.textPart("Rate this image."))));
 * }</pre>
 */
public final class ChatMessage {

    /** The {@code image} value of {@link #imagePart()}: templates test for the key; printing it is refused. */
    public static final Object IMAGE_PLACEHOLDER = new Object() {
        @Override
        public String toString() {
            return "<image placeholder>";
        }
    };

    private ChatMessage() {}

    /** {@code {"role": role, "content": content}}; content is a String or a List of part maps. */
    public static Map<String, Object> message(String role, Object content) {
        return ordered("role", role, "content", content);
    }

    public static Map<String, Object> system(String text) {
        return message("system", text);
    }

    public static Map<String, Object> user(String text) {
        return message("user", text);
    }

    /** A user turn with content parts, e.g. {@code user(List.of(imagePart(), textPart("...")))}. */
    public static Map<String, Object> user(List<? extends Map<String, ?>> parts) {
        return message("user", List.copyOf(parts));
    }

    public static Map<String, Object> assistant(String text) {
        return message("assistant", text);
    }

    /** {@code {"type": "text", "text": text}}. */
    public static Map<String, Object> textPart(String text) {
        return ordered("type", "text", "text", text);
    }

    /** {@code {"type": "image", "image": IMAGE_PLACEHOLDER}}: for rendering the prompt text only. */
    public static Map<String, Object> imagePart() {
        return imagePart(IMAGE_PLACEHOLDER);
    }

    /** {@code {"type": "image", "image": image}}; {@code image} is whatever the caller loads images from. */
    public static Map<String, Object> imagePart(Object image) {
        return imagePart(image, Map.of());
    }

    /**
     * {@code {"type": "image", "image": image, **options}}, e.g. HPSv3's
     * {@code {"min_pixels": 200704, "max_pixels": 200704}} (give a LinkedHashMap to fix their order).
     */
    public static Map<String, Object> imagePart(Object image, Map<String, ?> options) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "image");
        part.put("image", image);
        part.putAll(options);
        return Collections.unmodifiableMap(part);
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return Collections.unmodifiableMap(m);
    }
}
