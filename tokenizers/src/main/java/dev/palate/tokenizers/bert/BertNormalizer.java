package dev.palate.tokenizers.bert;

import dev.palate.tokenizers.text.WhiteSpace;
import java.text.Normalizer;

/**
 * BERT's text normalisation, as Hugging Face tokenizers' {@code BertNormalizer}
 * ({@code tokenizers/src/normalizers/bert.rs}) does it, in its order:
 * <ol>
 *   <li>clean text: drop U+0000, U+FFFD and "control" characters (categories Cc, Cf, Co, except tab,
 *       LF and CR; unassigned characters are kept), then turn every whitespace character (White_Space,
 *       plus tab/LF/CR) into a space;</li>
 *   <li>put spaces around CJK ideographs (the CJK Unified Ideographs blocks and extensions A–E, the
 *       compatibility ideographs and their supplement);</li>
 *   <li>strip accents (when asked, or by default when lowercasing): NFD, then drop non-spacing marks (Mn);</li>
 *   <li>lowercase each character on its own (Rust {@code char::to_lowercase}, no final-sigma rule).</li>
 * </ol>
 * Categories come from the running JDK's Unicode tables.
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** bert-base-uncased: everything on. */
    static final BertNormalizer UNCASED = new BertNormalizer(true, true, true, true);

    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    out.append(' ');
                    continue;
                }
            }
            if (handleChineseChars && isChineseChar(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        String s = out.toString();
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = perCharacterLowercase(s);
        }
        return s;
    }

    static boolean isWhitespace(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || WhiteSpace.is(cp);
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        // Cc, Cf, Co (the unicode_categories crate's is_other); lone surrogates cannot reach Rust, drop them too
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static String stripAccents(String s) {
        if (isAscii(s)) {
            return s;
        }
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Rust {@code char::to_lowercase} per character: full mapping (İ → i̇), no context rules. */
    private static String perCharacterLowercase(String s) {
        if (isAscii(s)) {
            return s.toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length() + 4);
        s.codePoints().forEach(cp -> {
            if (cp == 0x130) {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
