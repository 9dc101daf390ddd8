package dev.palate.engine.weights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicit rename table from one weight-naming scheme to another (say open_clip to Hugging Face).
 *
 * <p>A key is renamed by its exact rule if it has one, otherwise by the longest matching prefix rule, otherwise it
 * keeps its name. Write one table per scheme, in one place:
 *
 * <pre>
 * static final KeyMap OPEN_CLIP_TO_HF = KeyMap.builder()
 *         .exact("visual.proj", "visual_projection.weight")
 *         .prefix("visual.transformer.resblocks.", "vision_model.encoder.layers.")
 *         .build();
 * try (StateDict sd = StateDict.load(path)) {
 *     StateDict hf = sd.renamed(OPEN_CLIP_TO_HF);
 * }
 * </pre>
 */
public final class KeyMap {
    /** Renames nothing. */
    public static final KeyMap IDENTITY = builder().build();

    private final Map<String, String> exact;
    private final List<Map.Entry<String, String>> prefixes; // longest first

    private KeyMap(Map<String, String> exact, List<Map.Entry<String, String>> prefixes) {
        this.exact = Map.copyOf(exact);
        List<Map.Entry<String, String>> sorted = new ArrayList<>(prefixes);
        sorted.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        this.prefixes = List.copyOf(sorted);
    }

    public static Builder builder() { return new Builder(); }

    /** The new name of {@code key}: its exact rule, else its longest prefix rule, else {@code key} itself. */
    public String map(String key) {
        String to = exact.get(key);
        if (to != null) return to;
        for (Map.Entry<String, String> p : prefixes) {
            if (key.startsWith(p.getKey())) return p.getValue() + key.substring(p.getKey().length());
        }
        return key;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KeyMap[");
        exact.forEach((f, t) -> sb.append(f).append(" -> ").append(t).append("; "));
        prefixes.forEach(p -> sb.append(p.getKey()).append("* -> ").append(p.getValue()).append("*; "));
        return sb.append(']').toString();
    }

    /** Collects rules; a source name or prefix given twice is a mistake in the table and is refused. */
    public static final class Builder {
        private final Map<String, String> exact = new LinkedHashMap<>();
        private final Map<String, String> prefixes = new LinkedHashMap<>();

        private Builder() {}

        /** Renames the key {@code from} to {@code to}. */
        public Builder exact(String from, String to) {
            if (exact.putIfAbsent(from, to) != null)
                throw new IllegalArgumentException("key map: two exact rules for '" + from + "'");
            return this;
        }

        /** Renames every key starting with {@code fromPrefix} by replacing that prefix with {@code toPrefix}. */
        public Builder prefix(String fromPrefix, String toPrefix) {
            if (fromPrefix.isEmpty()) throw new IllegalArgumentException("key map: empty prefix rule");
            if (prefixes.putIfAbsent(fromPrefix, toPrefix) != null)
                throw new IllegalArgumentException("key map: two prefix rules for '" + fromPrefix + "'");
            return this;
        }

        public KeyMap build() { return new KeyMap(exact, new ArrayList<>(prefixes.entrySet())); }
    }
}
