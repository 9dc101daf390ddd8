package dev.palate.tokenizers.bpe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model on byte-level pieces (tokenizers {@code models/bpe/model.rs} {@code merge_word} and
 * {@code word.rs} {@code Word::merge_all}). A piece's UTF-8 bytes are its initial symbols (each byte's alphabet
 * char looked up in the vocabulary); then the adjacent pair with the lowest merge rank, leftmost first, is merged
 * until no pair has a merge — the same priority-queue order as {@code merge_all}, including its stale-entry
 * checks, so even a merges list whose ranks are not in training order gives tokenizers' result.
 *
 * <p>Thread-safe: immutable tables plus a concurrent cache of merged pieces, cleared when it reaches
 * {@link #CACHE_LIMIT} entries; pieces of {@link #MAX_CACHED_LENGTH} chars or more are not cached (as tokenizers).
 */
final class BpeModel {

    static final int CACHE_LIMIT = 50_000;
    static final int MAX_CACHED_LENGTH = 256;
    private static final int[] EMPTY = new int[0];

    private final Map<String, Integer> vocab;
    /** id → vocabulary token, null where the vocabulary has no token for the id. */
    private final String[] idToToken;
    /** byte → id of its alphabet char, -1 where the vocabulary lacks it (the byte is then dropped, as tokenizers). */
    private final int[] byteIds = new int[256];
    private final MergeTable merges;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param merges pairs in rank order, each {left, right}; a repeated pair keeps its last rank (tokenizers
     *               collects them into a map)
     * @param source file name for error messages
     */
    BpeModel(Map<String, Integer> vocab, List<String[]> merges, boolean ignoreMerges, String source) {
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
        int maxId = -1;
        for (int id : vocab.values()) {
            if (id < 0) {
                throw new IllegalArgumentException(source + ": the vocabulary has a negative id " + id);
            }
            maxId = Math.max(maxId, id);
        }
        idToToken = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
        }
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[b]));
            byteIds[b] = id == null ? -1 : id;
        }
        this.merges = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = require(vocab, m[0], source);
            int right = require(vocab, m[1], source);
            this.merges.put(left, right, rank, require(vocab, m[0] + m[1], source));
        }
    }

    private static int require(Map<String, Integer> vocab, String token, String source) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(source + ": a merge needs the token '" + token + "', which the vocabulary "
                    + "lacks (tokenizers refuses this file too: MergeTokenOutOfVocabulary); the vocabulary and merges do not belong together");
        }
        return id;
    }

    /** Whether every byte has its alphabet char in the vocabulary (else an unk token or byte fallback would matter). */
    boolean coversAllBytes() {
        for (int id : byteIds) {
            if (id < 0) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return vocab.size();
    }

    Integer id(String token) {
        return vocab.get(token);
    }

    /** The vocabulary token of an id, or null. */
    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** Ids of one pre-tokenized piece (plain text, not yet byte-mapped). The array is shared: do not modify. */
    int[] tokenize(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids = tokenizeUncached(piece);
        if (piece.length() < MAX_CACHED_LENGTH) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }

    private int[] tokenizeUncached(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        if (ignoreMerges) {
            Integer whole = vocab.get(ByteLevelAlphabet.encode(piece));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] symbols = new int[bytes.length];
        int n = 0;
        for (byte b : bytes) {
            int id = byteIds[b & 0xFF];
            if (id >= 0) {
                symbols[n++] = id;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        return mergeAll(symbols, n);
    }

    /**
     * {@code Word::merge_all} without dropout: a min-queue of (rank, position) over adjacent pairs; a popped entry
     * is skipped when its left symbol was merged away, has no right neighbour, or the pair there now merges to a
     * different token; otherwise the two symbols merge and the new pairs with both neighbours are queued.
     */
    private int[] mergeAll(int[] c, int n) {
        if (n == 1) {
            return new int[] {c[0]};
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        MinQueue queue = new MinQueue(n);
        for (int i = 0; i + 1 < n; i++) {
            int rank = merges.rank(c[i], c[i + 1]);
            if (rank >= 0) {
                queue.push(rank, i);
            }
        }
        int alive = n;
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (removed[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            int newId = merges.mergedId(rank);
            int current = merges.rank(c[pos], c[right]);
            if (current < 0 || merges.mergedId(current) != newId) {
                continue;
            }
            c[pos] = newId;
            next[pos] = next[right];
            removed[right] = true;
            alive--;
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                int r = merges.rank(c[prev[pos]], newId);
                if (r >= 0) {
                    queue.push(r, prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                int r = merges.rank(newId, c[next[pos]]);
                if (r >= 0) {
                    queue.push(r, pos);
                }
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!removed[i]) {
                out[k++] = c[i];
            }
        }
        return out;
    }

    /** A binary min-heap of (rank, position) packed into longs: rank in the high half, so order is rank then position. */
    private static final class MinQueue {
        private long[] heap;
        private int size;

        MinQueue(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int rank, int pos) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            long v = ((long) rank << 32) | pos;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }

    /** Open addressing (left id, right id) → rank, plus rank → merged id. */
    private static final class MergeTable {
        private final long[] keys;
        private final int[] ranks;
        private final int[] mergedByRank;
        private final int mask;

        MergeTable(int count) {
            int capacity = Integer.highestOneBit(Math.max(4, count * 2)) << 1;
            keys = new long[capacity];
            Arrays.fill(keys, -1L);
            ranks = new int[capacity];
            mergedByRank = new int[count];
            mask = capacity - 1;
        }

        /** A repeated pair takes the later rank, as collecting into tokenizers' {@code MergeMap} does. */
        void put(int left, int right, int rank, int merged) {
            long key = key(left, right);
            int slot = slot(key);
            while (keys[slot] != -1L && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            ranks[slot] = rank;
            mergedByRank[rank] = merged;
        }

        /** The pair's rank, or -1. */
        int rank(int left, int right) {
            long key = key(left, right);
            int slot = slot(key);
            while (true) {
                long k = keys[slot];
                if (k == key) {
                    return ranks[slot];
                }
                if (k == -1L) {
                    return -1;
                }
                slot = (slot + 1) & mask;
            }
        }

        int mergedId(int rank) {
            return mergedByRank[rank];
        }

        private static long key(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }

        private int slot(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
