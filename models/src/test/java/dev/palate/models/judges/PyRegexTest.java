package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** PyRegex against CPython 3.11's re (each expectation was checked there). */
class PyRegexTest {

    private static String search(String pattern, int flags, String text) {
        Matcher m = PyRegex.compile(pattern, flags).matcher(text);
        return m.find() ? m.group() : null;
    }

    @Test
    void digitsAndSpacesAreUnicodeAsInPython() {
        assertEquals("３.５", search("[-+]?\\d*\\.?\\d+", 0, "x ３.５ y"));
        assertEquals("٤", search("\\d", 0, "a٤"));
        assertEquals(": \u30003", search(":\\s*\\d", 0, "a: \u30003")); // U+3000 ideographic space
        assertEquals(":\u001f3", search(":\\s*\\d", 0, ":\u001f3")); // U+001F is isspace() in Python, not White_Space in Java
        assertEquals(null, search(":\\s*\\d", 0, ":\u200b3")); // zero-width space is not
        assertEquals(null, search("\\d", 0, "²")); // superscript two is No, not Nd
    }

    @Test
    void theBackslashRRangeInAClassTakesInTheSpace() {
        // [^\n\r-+\d]: the range U+000D..U+002B holds ' ', '!', '"', ..., '*', '+'
        Pattern p = PyRegex.compile("[^\\n\\r-+\\d]", 0);
        for (char c : " !\"#$%&'()*+\n\r5".toCharArray()) assertFalse(p.matcher(String.valueOf(c)).matches(), "U+" + (int) c);
        for (char c : ",-./:;aZ\t".toCharArray()) assertTrue(p.matcher(String.valueOf(c)).matches(), "U+" + (int) c);
    }

    @Test
    void dotExcludesOnlyNewlineAndWordBoundariesUsePythonsWordCharacters() {
        assertEquals("a\rb", search("a.b", 0, "a\rb"));
        assertEquals("a\u2028b", search("a.b", 0, "a\u2028b"));
        assertEquals(null, search("a.b", 0, "a\nb"));
        assertEquals("a\nb", search("a.b", PyRegex.DOTALL, "a\nb"));
        assertEquals("better", search("\\bbetter\\b", 0, "is better."));
        assertEquals(null, search("\\bbetter\\b", 0, "isbetter"));
        assertEquals(null, search("\\bbetter\\b", 0, "better٣")); // a digit is a word character
        assertEquals("better", search("\\bbetter\\b", 0, "better\u0301")); // a combining mark is not (Python), unlike Java's \w
    }

    @Test
    void ignoreCaseFoldsUnicodeAndTheColonClassIsTwoAsciiColons() {
        assertEquals("COHERENCE SCORE : 2", search("Coherence\\ Score\\s*(?:\\([^)]+\\))?\\s*[::]\\s*([-+]?\\d*\\.?\\d+)", PyRegex.IGNORECASE, "COHERENCE SCORE : 2"));
        assertEquals(null, search("Score\\s*[::]\\s*\\d", 0, "Score：4"));
        assertEquals("ſcore", search("score", PyRegex.IGNORECASE, "ſcore")); // long s folds to s in both
    }

    @Test
    void bracesThatAreNotRepeatsAreLiteralAndUnsupportedSyntaxIsRefused() {
        assertEquals("{draft}", search("\\{.*\\}", 0, "a {draft} b"));
        assertEquals("{x", search("{x", 0, "{x"));
        assertEquals("aa", search("a{,2}", 0, "aaa"));
        assertEquals("a{1,b", search("a{1,b", 0, "a{1,b"));
        assertThrows(IllegalArgumentException.class, () -> PyRegex.compile("(a)\\1", 0));
        assertThrows(IllegalArgumentException.class, () -> PyRegex.compile("(?i)a", 0));
        assertEquals("ab", search("(?P<x>a)b\\Z", 0, "ab"));
    }
}
