package dev.palate.tokenizers.clip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE on one pre-token: UTF-8 bytes → byte symbols (the last one carrying
 * {@code </w>}) → repeatedly merge every occurrence of the lowest-ranked adjacent pair (open_clip
 * {@code SimpleTokenizer.bpe}; tokenizers' heap-based merge gives the same result because a merge's
 * product only ever takes part in higher-ranked merges).
 *
 * <p>Thread-safe: the cache is a concurrent map, cleared when it reaches {@link #CACHE_LIMIT} entries.
 */
final class ByteLevelBpe {

    static final String END_OF_WORD = "</w>";
    private static final int CACHE_LIMIT = 100_000;

    private final int[] byteIds = new int[256];
    private final int[] byteEndIds = new int[256];
    private final PairTable pairs;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab  token string (byte-level characters) → id
     * @param merges pairs in rank order, each {left, right}
     * @param source file name for error messages
     */
    ByteLevelBpe(Map<String, Integer> vocab, List<String[]> merges, String source) {
        char[] byteChars = ByteLevelBpe.byteToUnicode();
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(byteChars[b]);
            byteIds[b] = require(vocab, symbol, source);
            byteEndIds[b] = require(vocab, symbol + END_OF_WORD, source);
        }
        pairs = new PairTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = require(vocab, m[0], source);
            int right = require(vocab, m[1], source);
            int merged = require(vocab, m[0] + m[1], source);
            pairs.putIfAbsent(left, right, rank, merged);
        }
    }

    private static int require(Map<String, Integer> vocab, String token, String source) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(source + ": the BPE vocabulary lacks the token '" + token
                    + "' that a merge or the byte alphabet needs; the vocabulary and merges files do not belong together");
        }
        return id;
    }

    /** Ids of one pre-token (a piece of cleaned text, not yet byte-encoded). */
    int[] encode(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids = merge(piece.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    private int[] merge(byte[] bytes) {
        int len = bytes.length;
        int[] word = new int[len];
        for (int i = 0; i < len; i++) {
            word[i] = (i == len - 1 ? byteEndIds : byteIds)[bytes[i] & 0xFF];
        }
        while (len > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < len; i++) {
                int rank = pairs.rank(word[i], word[i + 1]);
                if (rank < bestRank) {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0) {
                break;
            }
            int left = word[bestAt];
            int right = word[bestAt + 1];
            int merged = pairs.merged(bestRank);
            int out = 0;
            for (int i = 0; i < len; ) {
                if (i + 1 < len && word[i] == left && word[i + 1] == right) {
                    word[out++] = merged;
                    i += 2;
                } else {
                    word[out++] = word[i++];
                }
            }
            len = out;
        }
        return len == word.length ? word : Arrays.copyOf(word, len);
    }

    /**
     * GPT-2 / CLIP {@code bytes_to_unicode}: printable bytes ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ})
     * map to themselves, the other 68 to U+0100, U+0101, ... in increasing byte order.
     */
    static char[] byteToUnicode() {
        char[] map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            map[b] = isPrintableByte(b) ? (char) b : (char) next++;
        }
        return map;
    }

    /** The byte order of the first 256 vocabulary entries in the open_clip vocabulary. */
    static int[] openClipByteOrder() {
        int[] order = new int[256];
        int k = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintableByte(b)) {
                order[k++] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!isPrintableByte(b)) {
                order[k++] = b;
            }
        }
        return order;
    }

    private static boolean isPrintableByte(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** Open-addressing map (left id, right id) → rank, plus rank → merged id. */
    private static final class PairTable {
        private final long[] keys;
        private final int[] ranks;
        private final int[] mergedByRank;
        private final int mask;

        PairTable(int count) {
            int capacity = Integer.highestOneBit(Math.max(4, count * 2)) << 1;
            keys = new long[capacity];
            Arrays.fill(keys, -1L);
            ranks = new int[capacity];
            mergedByRank = new int[count];
            mask = capacity - 1;
        }

        void putIfAbsent(int left, int right, int rank, int merged) {
            long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
            int slot = slot(key);
            while (keys[slot] != -1L) {
                if (keys[slot] == key) {
                    return; // a repeated merge keeps its first (lowest) rank
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            ranks[slot] = rank;
            mergedByRank[rank] = merged;
        }

        int rank(int left, int right) {
            long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
            int slot = slot(key);
            while (true) {
                long k = keys[slot];
                if (k == key) {
                    return ranks[slot];
                }
                if (k == -1L) {
                    return Integer.MAX_VALUE;
                }
                slot = (slot + 1) & mask;
            }
        }

        int merged(int rank) {
            return mergedByRank[rank];
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & mask;
        }
    }
}
