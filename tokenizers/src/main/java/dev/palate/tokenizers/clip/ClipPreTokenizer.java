package dev.palate.tokenizers.clip;

import dev.palate.tokenizers.text.WhiteSpace;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CLIP split pattern, as a hand-written scanner:
 * {@code specials|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}; every match becomes a
 * piece, everything between matches (whitespace) is dropped.
 *
 * <p>open_clip compiles it with Python {@code regex} and {@code IGNORECASE}, which has two visible
 * effects that the Hugging Face version (Oniguruma, case-sensitive, no specials in the pattern) does
 * not have: the contractions and special names match in any case, with simple case folding
 * ({@code 'ſ} counts as {@code 's}), and U+0345 COMBINING GREEK YPOGEGRAMMENI (which folds to a letter)
 * matches neither {@code [\p{L}]} nor the negated class, so it is skipped like whitespace.
 * Letters and numbers are the Unicode general categories L* and N* of the running JDK.
 */
final class ClipPreTokenizer {

    private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

    private final boolean ignoreCase;
    private final List<String> specials;

    /**
     * @param ignoreCase true for open_clip's pattern (IGNORECASE semantics described above)
     * @param specials   special token names that are alternatives of the pattern (open_clip); empty for HF
     */
    ClipPreTokenizer(boolean ignoreCase, List<String> specials) {
        this.ignoreCase = ignoreCase;
        this.specials = List.copyOf(specials);
    }

    void split(String text, Consumer<String> pieces) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (WhiteSpace.is(cp) || (ignoreCase && cp == 0x345)) {
                i += Character.charCount(cp);
                continue;
            }
            int end = matchSpecialOrContraction(text, i);
            if (end < 0) {
                if (Character.isLetter(cp)) {
                    end = i;
                    while (end < n && Character.isLetter(text.codePointAt(end))) {
                        end += Character.charCount(text.codePointAt(end));
                    }
                } else if (isNumber(cp)) {
                    end = i + Character.charCount(cp);
                } else {
                    end = i;
                    while (end < n) {
                        int c = text.codePointAt(end);
                        if (WhiteSpace.is(c) || Character.isLetter(c) || isNumber(c)
                                || (ignoreCase && c == 0x345)) {
                            break;
                        }
                        end += Character.charCount(c);
                    }
                }
            }
            pieces.accept(text.substring(i, end));
            i = end;
        }
    }

    private int matchSpecialOrContraction(String text, int i) {
        for (String special : specials) {
            if (text.regionMatches(ignoreCase, i, special, 0, special.length())) {
                return i + special.length();
            }
        }
        if (text.charAt(i) != '\'') {
            return -1;
        }
        for (String c : CONTRACTIONS) {
            // Java's ignore-case region match compares upper and lower case, so 'ſ' matches 's' as
            // Python regex's simple case folding does.
            if (text.regionMatches(ignoreCase, i + 1, c, 0, c.length())) {
                return i + 1 + c.length();
            }
        }
        return -1;
    }

    static boolean isNumber(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }
}
