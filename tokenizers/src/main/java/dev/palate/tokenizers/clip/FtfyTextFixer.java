package dev.palate.tokenizers.clip;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The part of ftfy's {@code fix_text} (ftfy 6.3, default {@code TextFixerConfig}) that applies to
 * well-formed text, in ftfy's order, repeated until nothing changes, line by line:
 * <ol>
 *   <li>{@code unescape_html} ("auto": off from the first line that contains a literal {@code <});
 *       ftfy's own narrow variant: only {@code &name;} / {@code &#..;} with the semicolon, plus
 *       all-caps forms of lowercase entity names ({@code &EACUTE;});</li>
 *   <li>{@code fix_c1_controls}: U+0080..U+009F read as Windows-1252;</li>
 *   <li>{@code fix_latin_ligatures}: ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ, Ĳ ĳ, ŉ, Ǳ ǲ ǳ Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ;</li>
 *   <li>{@code fix_character_width}: NFKC of the half-/full-width forms U+FF01..U+FFEF, U+3000 → space;</li>
 *   <li>{@code uncurl_quotes}: U+02BC, U+2018..U+201B → {@code '}; U+201C..U+201F → {@code "};</li>
 *   <li>{@code fix_line_breaks}: CRLF, CR, U+2028, U+2029, U+0085 → LF;</li>
 *   <li>{@code fix_surrogates}: unpaired surrogates → U+FFFD (pairs are already characters in Java);</li>
 *   <li>{@code remove_terminal_escapes}: {@code ESC [ (digits|;)* letter};</li>
 *   <li>{@code remove_control_chars}: U+0000..0008, 000B, 000E..001F, 007F, 206A..206F, FEFF, FFF9..FFFC;</li>
 *   <li>NFC normalisation.</li>
 * </ol>
 * Left out: {@code fix_encoding} (mojibake detection and re-decoding, with its sub-steps
 * {@code restore_byte_a0}, {@code replace_lossy_sequences}, {@code decode_inconsistent_utf8}). It needs
 * ftfy's statistical "badness" heuristics and codec tables and only changes text that was mis-decoded
 * somewhere upstream; for such text our output differs from open_clip's.
 */
final class FtfyTextFixer {

    private static final Map<String, String> FTFY_ENTITIES = buildFtfyEntities();
    private static final Map<Integer, String> LIGATURES = Map.ofEntries(
            Map.entry(0x0132, "IJ"), Map.entry(0x0133, "ij"), Map.entry(0x0149, "\u02BCn"),
            Map.entry(0x01F1, "DZ"), Map.entry(0x01F2, "Dz"), Map.entry(0x01F3, "dz"),
            Map.entry(0x01C4, "D\u017D"), Map.entry(0x01C5, "D\u017E"), Map.entry(0x01C6, "d\u017E"),
            Map.entry(0x01C7, "LJ"), Map.entry(0x01C8, "Lj"), Map.entry(0x01C9, "lj"),
            Map.entry(0x01CA, "NJ"), Map.entry(0x01CB, "Nj"), Map.entry(0x01CC, "nj"),
            Map.entry(0xFB00, "ff"), Map.entry(0xFB01, "fi"), Map.entry(0xFB02, "fl"),
            Map.entry(0xFB03, "ffi"), Map.entry(0xFB04, "ffl"), Map.entry(0xFB05, "\u017Ft"),
            Map.entry(0xFB06, "st"));
    /** Index cp - 0xFF01 for U+FF01..U+FFEF; null where NFKC leaves the character alone. */
    private static final String[] WIDTH_MAP = buildWidthMap();

    private FtfyTextFixer() {}

    static String fixText(String text) {
        boolean unescapeHtml = true; // "auto"
        StringBuilder out = null;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int lineEnd = text.indexOf('\n', pos) + 1;
            if (lineEnd == 0) {
                lineEnd = n;
            }
            String segment = text.substring(pos, lineEnd);
            if (unescapeHtml && segment.indexOf('<') >= 0) {
                unescapeHtml = false; // stays off for the rest of the text, as in ftfy
            }
            String fixed = fixSegment(segment, unescapeHtml);
            if (pos == 0 && lineEnd == n) {
                return fixed;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(fixed);
            pos = lineEnd;
        }
        return out == null ? text : out.toString();
    }

    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String original = text;
            if (unescapeHtml) {
                text = unescapeHtml(text);
            }
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = removeTerminalEscapes(text);
            text = removeControlChars(text);
            if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
                text = Normalizer.normalize(text, Normalizer.Form.NFC);
            }
            if (text.equals(original)) {
                return text;
            }
        }
    }

    /** ftfy {@code unescape_html}: pattern {@code &#?[0-9A-Za-z]{1,24};}. */
    static String unescapeHtml(String text) {
        int amp = text.indexOf('&');
        if (amp < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (amp >= 0) {
            int i = amp + 1;
            if (i < text.length() && text.charAt(i) == '#') {
                i++;
            }
            int runStart = i;
            while (i < text.length() && isAsciiAlnum(text.charAt(i))) {
                i++;
            }
            int run = i - runStart;
            if (run >= 1 && run <= 24 && i < text.length() && text.charAt(i) == ';') {
                String entity = text.substring(amp, i + 1);
                out.append(text, copied, amp).append(ftfyEntityReplacement(entity));
                copied = i + 1;
                amp = text.indexOf('&', copied);
            } else {
                amp = text.indexOf('&', amp + 1);
            }
        }
        out.append(text, copied, text.length());
        return out.toString();
    }

    private static String ftfyEntityReplacement(String entity) {
        String known = FTFY_ENTITIES.get(entity);
        if (known != null) {
            return known;
        }
        if (entity.startsWith("&#")) {
            String unescaped = HtmlUnescape.unescape(entity);
            // html.unescape decoding only part of it ("&#65x;") leaves the ';': keep the text
            return unescaped.indexOf(';') >= 0 ? entity : unescaped;
        }
        return entity;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static String fixC1Controls(String text) {
        if (!containsInRange(text, 0x80, 0x9F)) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 0x80 && chars[i] <= 0x9F) {
                chars[i] = Windows1252.decode(chars[i]);
            }
        }
        return new String(chars);
    }

    static String fixLatinLigatures(String text) {
        if (!containsAny(text, LIGATURES)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            String replacement = LIGATURES.get(cp);
            if (replacement != null) {
                out.append(replacement);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    static String fixCharacterWidth(String text) {
        boolean any = false;
        for (int i = 0; i < text.length() && !any; i++) {
            char c = text.charAt(i);
            any = c == 0x3000 || (c >= 0xFF01 && c <= 0xFFEF && WIDTH_MAP[c - 0xFF01] != null);
        }
        if (!any) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x3000) {
                out.append(' ');
            } else if (c >= 0xFF01 && c <= 0xFFEF && WIDTH_MAP[c - 0xFF01] != null) {
                out.append(WIDTH_MAP[c - 0xFF01]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String uncurlQuotes(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement = (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) ? '\''
                    : (c >= 0x201C && c <= 0x201F) ? '"' : 0;
            if (replacement != 0) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = replacement;
            }
        }
        return chars == null ? text : new String(chars);
    }

    static String fixLineBreaks(String text) {
        if (text.indexOf('\r') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0
                && text.indexOf('\u0085') < 0) {
            return text;
        }
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
                .replace('\u2029', '\n').replace('\u0085', '\n');
    }

    static String fixSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                lone = true;
            } else if (Character.isLowSurrogate(c)) {
                lone = true;
            }
            if (lone && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\uFFFD' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@code \033\[((?:\d|;)*)([a-zA-Z])} with Python's Unicode {@code \d}. */
    static String removeTerminalEscapes(String text) {
        int esc = text.indexOf('\u001B');
        if (esc < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (esc >= 0) {
            int i = esc + 1;
            int end = -1;
            if (i < text.length() && text.charAt(i) == '[') {
                i++;
                while (i < text.length()) {
                    int cp = text.codePointAt(i);
                    if (cp == ';' || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                        i += Character.charCount(cp);
                    } else {
                        break;
                    }
                }
                if (i < text.length() && isAsciiLetter(text.charAt(i))) {
                    end = i + 1;
                }
            }
            if (end > 0) {
                out.append(text, copied, esc);
                copied = end;
                esc = text.indexOf('\u001B', end);
            } else {
                esc = text.indexOf('\u001B', esc + 1);
            }
        }
        out.append(text, copied, text.length());
        return out.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static String removeControlChars(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean drop = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (drop && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null && !drop) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean containsInRange(String text, int lo, int hi) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= lo && c <= hi) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String text, Map<Integer, String> table) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0132 && table.containsKey((int) c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * ftfy {@code chardata._build_html_entities}: every HTML5 name that ends in ';', plus the all-caps
     * form of a lowercase name when {@code html.unescape} leaves that form alone (value upper-cased).
     */
    private static Map<String, String> buildFtfyEntities() {
        Map<String, String> entities = new HashMap<>(4096);
        for (Map.Entry<String, String> e : HtmlUnescape.html5Entities().entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";")) {
                continue;
            }
            entities.put("&" + name, e.getValue());
            if (name.equals(name.toLowerCase(Locale.ROOT))) {
                String upper = "&" + name.toUpperCase(Locale.ROOT);
                if (HtmlUnescape.unescape(upper).equals(upper)) {
                    entities.put(upper, e.getValue().toUpperCase(Locale.ROOT));
                }
            }
        }
        return entities;
    }

    private static String[] buildWidthMap() {
        String[] map = new String[0xFFEF - 0xFF01 + 1];
        for (int cp = 0xFF01; cp <= 0xFFEF; cp++) {
            String c = String.valueOf((char) cp);
            String alternate = Normalizer.normalize(c, Normalizer.Form.NFKC);
            if (!alternate.equals(c)) {
                map[cp - 0xFF01] = alternate;
            }
        }
        return map;
    }
}
