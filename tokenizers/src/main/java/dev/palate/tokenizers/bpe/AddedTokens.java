package dev.palate.tokenizers.bpe;

import dev.palate.tokenizers.text.WhiteSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tokenizers' {@code AddedVocabulary} ({@code tokenizer/added_vocabulary.rs}, 0.23): the tokens matched whole in
 * the text before pre-tokenisation, with their ids as tokenizers numbers them, their {@code special} flag (what
 * {@code skip_special_tokens} drops) and their matching flags.
 *
 * <p>Ids: tokenizers 0.23 ignores the {@code id} written in {@code tokenizer.json}'s {@code added_tokens}: a content
 * already in the vocabulary (or added before) keeps that id, any other gets the next id from the vocabulary's
 * entry count up ({@code add_tokens}). So a file whose added-token ids do not follow its vocabulary is renumbered;
 * this class does the same.
 *
 * <p>Matching ({@code find_matches}): leftmost-longest over the contents, non-overlapping; a {@code single_word}
 * token is skipped where a word character ({@code \w}) touches it; {@code lstrip}/{@code rstrip} widen the match
 * over the white space beside it. {@code normalized=false} tokens are matched in the raw text, {@code normalized=true}
 * ones (by their normalised content) in each normalised segment between those.
 */
final class AddedTokens {

    /** One added token; {@code id} is the file's in a declaration and tokenizers' after {@link #AddedTokens}. */
    record Entry(String content, int id, boolean special, boolean normalized, boolean lstrip, boolean rstrip,
                 boolean singleWord) {
        Entry withId(int newId) {
            return new Entry(content, newId, special, normalized, lstrip, rstrip, singleWord);
        }
    }

    /** Receives the split text: segments between tokens, and tokens with the text slice they cover. */
    interface Sink {
        void text(String segment);

        void token(Entry token, String slice);
    }

    private final Map<String, Integer> contentToId = new HashMap<>();
    private final Map<Integer, Entry> byId = new LinkedHashMap<>();
    /** What decoding shows for an id: the normalised content of a {@code normalized} token, else the content. */
    private final Map<Integer, String> decodedById = new HashMap<>();
    private final Set<String> specialContents = new HashSet<>();
    private final LeftmostLongest raw;
    private final LeftmostLongest normalized;

    /** {@code AddedVocabulary::add_tokens} for the declarations in file order. */
    AddedTokens(List<Entry> declared, BpeModel model, TextNormalizer normalizer) {
        int nextId = model.size();
        for (Entry t : declared) {
            if (t.content().isEmpty()) {
                continue;
            }
            Integer known = contentToId.get(t.content());
            if (known != null && byId.get(known).equals(t.withId(known))) {
                continue;
            }
            Integer id = known != null ? known : model.id(t.content());
            if (id == null) {
                id = nextId++;
            }
            Entry resolved = t.withId(id);
            contentToId.put(t.content(), id);
            if (t.special()) {
                specialContents.add(t.content());
            }
            byId.put(id, resolved);
        }
        List<Entry> rawTokens = new ArrayList<>();
        List<String> rawPatterns = new ArrayList<>();
        List<Entry> normalizedTokens = new ArrayList<>();
        List<String> normalizedPatterns = new ArrayList<>();
        for (Entry t : byId.values()) {
            String shown = t.content();
            if (t.normalized()) {
                shown = normalizer.normalize(t.content());
                normalizedTokens.add(t);
                normalizedPatterns.add(shown);
            } else {
                rawTokens.add(t);
                rawPatterns.add(shown);
            }
            decodedById.put(t.id(), shown);
        }
        raw = new LeftmostLongest(rawTokens, rawPatterns);
        normalized = new LeftmostLongest(normalizedTokens, normalizedPatterns);
    }

    /** The id of an added token's content, or null. */
    Integer id(String content) {
        return contentToId.get(content);
    }

    /** {@code simple_id_to_token}: the token text decoding uses for an added id, or null. */
    String decoded(int id) {
        return decodedById.get(id);
    }

    Entry byId(int id) {
        return byId.get(id);
    }

    /** {@code is_special_token}: by content, as tokenizers checks it during decoding. */
    boolean isSpecialContent(String token) {
        return specialContents.contains(token);
    }

    int size() {
        return byId.size();
    }

    Iterable<String> contents() {
        return contentToId.keySet();
    }

    /**
     * {@code extract_and_normalize}: split on the raw tokens, normalise each segment between them, split that on
     * the normalised tokens. Empty segments are dropped.
     */
    void extractAndNormalize(String text, TextNormalizer normalizer, Sink out) {
        raw.split(text, new Sink() {
            @Override
            public void text(String segment) {
                normalized.split(normalizer.normalize(segment), out);
            }

            @Override
            public void token(Entry token, String slice) {
                out.token(token, slice);
            }
        });
    }

    /** Leftmost-longest matching over one token set (the role of tokenizers' Aho-Corasick trie). */
    private static final class LeftmostLongest {
        private static final Comparator<int[]> LONGEST_FIRST = Comparator.comparingInt((int[] a) -> -a[1]);
        private final Entry[] tokens;
        private final String[] patterns;
        /** first char → indices into tokens/patterns, longest pattern first. */
        private final Map<Character, int[]> byFirstChar = new HashMap<>();
        private final boolean[] isFirstChar = new boolean[Character.MAX_VALUE + 1];

        LeftmostLongest(List<Entry> tokens, List<String> patterns) {
            this.tokens = tokens.toArray(new Entry[0]);
            this.patterns = patterns.toArray(new String[0]);
            Map<Character, List<int[]>> lists = new HashMap<>();
            for (int i = 0; i < this.patterns.length; i++) {
                if (this.patterns[i].isEmpty()) {
                    continue;
                }
                lists.computeIfAbsent(this.patterns[i].charAt(0), k -> new ArrayList<>()).add(new int[] {i, this.patterns[i].length()});
            }
            for (Map.Entry<Character, List<int[]>> e : lists.entrySet()) {
                e.getValue().sort(LONGEST_FIRST);
                byFirstChar.put(e.getKey(), e.getValue().stream().mapToInt(a -> a[0]).toArray());
                isFirstChar[e.getKey()] = true;
            }
        }

        /** {@code find_matches} + {@code split_with_indices} on one sentence; empty segments are dropped. */
        void split(String sentence, Sink out) {
            if (sentence.isEmpty()) {
                return;
            }
            int startOffset = 0;
            int from = 0;
            while (true) {
                int at = -1;
                int hit = -1;
                for (int i = from; i < sentence.length() && at < 0; i++) {
                    if (isFirstChar[sentence.charAt(i)]) {
                        for (int k : byFirstChar.get(sentence.charAt(i))) {
                            if (sentence.startsWith(patterns[k], i)) {
                                at = i;
                                hit = k;
                                break;
                            }
                        }
                    }
                }
                if (at < 0) {
                    break;
                }
                int start = at;
                int stop = at + patterns[hit].length();
                from = stop; // the trie's iterator resumes after the match it reported, whatever the flags do
                Entry token = tokens[hit];
                if (token.singleWord()) {
                    boolean spaceBefore = start == 0 || !isWordChar(sentence.codePointBefore(start));
                    boolean spaceAfter = stop == sentence.length() || !isWordChar(sentence.codePointAt(stop));
                    if (!spaceBefore || !spaceAfter) {
                        continue;
                    }
                }
                if (token.lstrip()) {
                    int s = start;
                    while (s > 0 && WhiteSpace.is(sentence.codePointBefore(s))) {
                        s -= Character.charCount(sentence.codePointBefore(s));
                    }
                    start = Math.max(s, startOffset);
                }
                if (token.rstrip()) {
                    while (stop < sentence.length() && WhiteSpace.is(sentence.codePointAt(stop))) {
                        stop += Character.charCount(sentence.codePointAt(stop));
                    }
                }
                if (startOffset < start) {
                    out.text(sentence.substring(startOffset, start));
                }
                out.token(token, sentence.substring(start, stop));
                startOffset = stop;
            }
            if (startOffset < sentence.length()) {
                out.text(startOffset == 0 ? sentence : sentence.substring(startOffset));
            }
        }

        /** Rust regex's Unicode {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, Join_Control. */
        private static boolean isWordChar(int cp) {
            if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
                return true;
            }
            int type = Character.getType(cp);
            return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.DECIMAL_DIGIT_NUMBER
                    || type == Character.CONNECTOR_PUNCTUATION;
        }
    }
}
