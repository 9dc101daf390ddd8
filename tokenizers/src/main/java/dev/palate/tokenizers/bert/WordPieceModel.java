package dev.palate.tokenizers.bert;

import dev.palate.tokenizers.text.IntArrayBuilder;
import java.util.Map;

/**
 * Greedy longest-match-first WordPiece (BERT's {@code WordpieceTokenizer}; tokenizers' {@code WordPiece}):
 * from the start of the word take the longest vocabulary entry, then continue with {@code ##}-prefixed
 * entries; a word longer than {@code maxInputCharsPerWord} characters, or with any position where nothing
 * matches, becomes the single unknown token.
 */
record WordPieceModel(Map<String, Integer> vocab, int unkId, String continuingSubwordPrefix, int maxInputCharsPerWord) {

    void tokenize(String word, IntArrayBuilder out) {
        int chars = word.codePointCount(0, word.length());
        if (chars > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        Integer whole = vocab.get(word);
        if (whole != null) {
            out.add(whole);
            return;
        }
        int mark = out.size();
        int start = 0;
        int n = word.length();
        while (start < n) {
            int end = n;
            Integer found = null;
            while (start < end) {
                String piece = word.substring(start, end);
                if (start > 0) {
                    piece = continuingSubwordPrefix + piece;
                }
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.truncate(mark);
                out.add(unkId);
                return;
            }
            out.add(found);
            start = end;
        }
    }
}
