package dev.palate.tokenizers.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Python's {@code html.unescape} (CPython 3.11 {@code Lib/html/__init__.py}), character for character:
 * numeric references with or without the semicolon, Windows-1252 fix-ups for 0x80..0x9F, U+FFFD for
 * surrogates and out-of-range numbers, the "invalid code points" dropped, and named references from the
 * HTML5 list including the legacy names accepted without a semicolon ({@code &amp} , {@code &lt}), with
 * the standard's longest-prefix rule ({@code &ampfoo} becomes {@code &foo}).
 */
final class HtmlUnescape {

    private static final String ENTITY_RESOURCE = "html5_entities.tsv";
    /** name (with ';' where the standard has one) → replacement text. */
    private static final Map<String, String> HTML5 = loadEntities();

    private HtmlUnescape() {}

    static Map<String, String> html5Entities() {
        return HTML5;
    }

    static String unescape(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        while (amp >= 0) {
            out.append(s, copied, amp);
            int end = replaceReference(s, amp, out);
            if (end < 0) {
                out.append('&');
                copied = amp + 1;
            } else {
                copied = end;
            }
            amp = s.indexOf('&', copied);
        }
        out.append(s, copied, s.length());
        return out.toString();
    }

    /**
     * Tries the pattern {@code &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)} at {@code amp};
     * on a match appends the replacement and returns the end index, otherwise returns -1.
     */
    private static int replaceReference(String s, int amp, StringBuilder out) {
        int n = s.length();
        int i = amp + 1;
        if (i >= n) {
            return -1;
        }
        if (s.charAt(i) == '#') {
            return replaceNumeric(s, i + 1, out);
        }
        int start = i;
        int count = 0;
        while (i < n && count < 32) {
            int cp = s.codePointAt(i);
            if (cp == '\t' || cp == '\n' || cp == '\f' || cp == ' ' || cp == '<' || cp == '&' || cp == '#' || cp == ';') {
                break;
            }
            i += Character.charCount(cp);
            count++;
        }
        if (count == 0) {
            return -1;
        }
        if (i < n && s.charAt(i) == ';') {
            i++;
        }
        out.append(namedReplacement(s.substring(start, i)));
        return i;
    }

    private static String namedReplacement(String name) {
        String direct = HTML5.get(name);
        if (direct != null) {
            return direct;
        }
        // Longest prefix of 2..len-1 code points that is a known name (names are ASCII).
        int[] cps = name.codePoints().toArray();
        for (int x = cps.length - 1; x > 1; x--) {
            String prefix = new String(cps, 0, x);
            String value = HTML5.get(prefix);
            if (value != null) {
                return value + new String(cps, x, cps.length - x);
            }
        }
        return "&" + name;
    }

    private static int replaceNumeric(String s, int i, StringBuilder out) {
        int n = s.length();
        boolean hex = false;
        int digitsStart = i;
        if (i < n && (s.charAt(i) == 'x' || s.charAt(i) == 'X')) {
            hex = true;
            digitsStart = i + 1;
        }
        int j = digitsStart;
        long value = 0;
        final long cap = 0x110000L; // anything above 0x10FFFF behaves the same
        while (j < n) {
            int d = digit(s.charAt(j), hex);
            if (d < 0) {
                break;
            }
            value = Math.min(cap, value * (hex ? 16 : 10) + d);
            j++;
        }
        if (j == digitsStart) {
            return -1; // "&#" or "&#x" without digits: no alternative of the pattern matches
        }
        if (j < n && s.charAt(j) == ';') {
            j++;
        }
        out.append(numericReplacement((int) value));
        return j;
    }

    private static int digit(char c, boolean hex) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (hex && c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (hex && c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String numericReplacement(int num) {
        if (num == 0x00) {
            return "\uFFFD";
        }
        if (num == 0x0D) {
            return "\r";
        }
        if (num >= 0x80 && num <= 0x9F) {
            return String.valueOf(Windows1252.decode(num));
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\uFFFD";
        }
        if (isInvalidCodePoint(num)) {
            return "";
        }
        return new String(Character.toChars(num));
    }

    /** Python's {@code _invalid_codepoints} (0x80..0x9F never get here: they are handled above). */
    private static boolean isInvalidCodePoint(int num) {
        return (num >= 0x1 && num <= 0x8)
                || num == 0xB
                || (num >= 0xE && num <= 0x1F)
                || (num >= 0x7F && num <= 0x9F)
                || (num >= 0xFDD0 && num <= 0xFDEF)
                || (num & 0xFFFE) == 0xFFFE;
    }

    private static Map<String, String> loadEntities() {
        Map<String, String> map = new HashMap<>(4096);
        try (InputStream in = HtmlUnescape.class.getResourceAsStream(ENTITY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + ENTITY_RESOURCE + " is missing from the palate-tokenizers jar; rebuild the module");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder(2);
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                map.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + ENTITY_RESOURCE, e);
        }
        return Collections.unmodifiableMap(map);
    }
}
