package dev.palate.tokenizers.clip;

/** How text is cleaned before byte-level BPE; chosen by where the tokenizer comes from. */
public enum ClipNormalization {
    /**
     * open_clip / OpenAI CLIP / HPSv2 {@code SimpleTokenizer}: ftfy {@code fix_text} (the subset in
     * {@link FtfyTextFixer}), {@code html.unescape} twice, strip, whitespace runs → one space, strip,
     * lowercase.
     */
    OPEN_CLIP,
    /**
     * Hugging Face fast {@code CLIPTokenizerFast} ({@code tokenizer.json}): NFC, whitespace runs → one
     * space, per-character lowercase. No ftfy, no HTML unescaping, no strip (the pre-tokenizer drops
     * spaces anyway).
     */
    HUGGING_FACE;

    String apply(String text) {
        return this == OPEN_CLIP ? openClip(text) : huggingFace(text);
    }

    /** open_clip tokenizer.py: {@code whitespace_clean(basic_clean(text)).lower()}. */
    private static String openClip(String text) {
        String t = FtfyTextFixer.fixText(text);
        t = HtmlUnescape.unescape(HtmlUnescape.unescape(t));
        t = UnicodeSpaces.pythonStrip(t);
        t = UnicodeSpaces.collapseWhiteSpace(t);
        t = UnicodeSpaces.pythonStrip(t);
        return t.toLowerCase(java.util.Locale.ROOT); // full mapping with final sigma, as Python's str.lower
    }

    /** tokenizers: Sequence[NFC, Replace(Regex("\s+"), " "), Lowercase]. */
    private static String huggingFace(String text) {
        String t = java.text.Normalizer.isNormalized(text, java.text.Normalizer.Form.NFC)
                ? text : java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
        t = UnicodeSpaces.collapseWhiteSpace(t);
        return perCharacterLowercase(t);
    }

    /**
     * Rust {@code char::to_lowercase} applied to each character on its own (tokenizers'
     * {@code NormalizedString::lowercase}): the full mapping, but without the context-dependent final
     * sigma that {@link String#toLowerCase} applies.
     */
    static String perCharacterLowercase(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            String lower = cp == 0x130 ? "i\u0307" : null;
            int lowerCp = lower == null ? Character.toLowerCase(cp) : -1;
            if (lower != null || lowerCp != cp) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 4).append(s, 0, i);
                }
                if (lower != null) {
                    out.append(lower);
                } else {
                    out.appendCodePoint(lowerCp);
                }
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i += n;
        }
        return out == null ? s : out.toString();
    }
}
