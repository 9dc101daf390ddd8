package dev.palate.models.scorers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Normalised text embeddings by prompt, least recently used dropped first; thread-safe. */
final class TextEmbeddingCache {
    private final Map<String, float[]> map;

    TextEmbeddingCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> e) {
                return size() > capacity;
            }
        };
    }

    synchronized float[] get(String prompt) { return map.get(prompt); }

    synchronized void put(String prompt, float[] embedding) { map.put(prompt, embedding); }

    synchronized int size() { return map.size(); }
}
