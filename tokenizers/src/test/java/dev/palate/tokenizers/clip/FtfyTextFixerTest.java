package dev.palate.tokenizers.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values are ftfy 6.3's own docstring examples, except where a comment says otherwise. */
class FtfyTextFixerTest {

    @Test
    void unescapesOnlySemicolonEntitiesAndAllCapsForms() {
        assertEquals("<tag>", FtfyTextFixer.unescapeHtml("&lt;tag&gt;"));
        assertEquals("\ud835\udca5ohn \u210bancock", FtfyTextFixer.unescapeHtml("&Jscr;ohn &HilbertSpace;ancock"));
        assertEquals("\u2713", FtfyTextFixer.unescapeHtml("&checkmark;"));
        assertEquals("P\u00e9rez", FtfyTextFixer.unescapeHtml("P&eacute;rez"));
        assertEquals("P\u00c9REZ", FtfyTextFixer.unescapeHtml("P&EACUTE;REZ"));
        assertEquals("BUNDESSTRASSE", FtfyTextFixer.unescapeHtml("BUNDESSTRA&SZLIG;E"));
        assertEquals("\u00f1 \u00d1 \u00d1 &nTILDE;", FtfyTextFixer.unescapeHtml("&ntilde; &Ntilde; &NTILDE; &nTILDE;"));
        // from the regex: no semicolon, no decoding (html.unescape would decode "&amp")
        assertEquals("this &amp that", FtfyTextFixer.unescapeHtml("this &amp that"));
    }

    @Test
    void fixTextRepeatsUntilStableSoNestedEntitiesFullyUnescape() {
        // fix_text docstring: "&amp;amp;" will become "&", not "&amp;"
        assertEquals("&", FtfyTextFixer.fixText("&amp;amp;"));
        assertEquals("a & b", FtfyTextFixer.fixText("a &amp;amp;amp;amp; b"));
    }

    @Test
    void literalAngleBracketTurnsEntityDecodingOffFromThatLineOn() {
        assertEquals("HTML entities <3", FtfyTextFixer.fixText("HTML entities &lt;3"));
        assertEquals("<em>HTML entities &lt;3</em>", FtfyTextFixer.fixText("<em>HTML entities &lt;3</em>"));
        // (derived from fix_text's per-line loop) the first line is decoded, the flag then stays off
        assertEquals("&\na < b &amp;\nc &amp;", FtfyTextFixer.fixText("&amp;\na < b &amp;\nc &amp;"));
    }

    @Test
    void latinLigaturesAreSplit() {
        assertEquals("fluffiest", FtfyTextFixer.fixLatinLigatures("\ufb02u\ufb03e\ufb06"));
    }

    @Test
    void fullWidthAndHalfWidthFormsGetStandardWidth() {
        assertEquals("LOUD NOISES", FtfyTextFixer.fixText("\uff2c\uff2f\uff35\uff24\u3000\uff2e\uff2f\uff29\uff33\uff25\uff33"));
        assertEquals("U\u30bf\u30fc\u30f3", FtfyTextFixer.fixCharacterWidth("\uff35\uff80\uff70\uff9d"));
    }

    @Test
    void curlyQuotesAreStraightened() {
        assertEquals("\"here's a test\"", FtfyTextFixer.uncurlQuotes("\u201chere\u2019s a test\u201d"));
    }

    @Test
    void lineBreaksBecomeLineFeeds() {
        assertEquals("This string is made of two things:\n1. Unicode\n2. Spite",
                FtfyTextFixer.fixLineBreaks("This string is made of two things:\u20291. Unicode\u20282. Spite"));
        assertEquals("Content-type: text/plain\n\nHi.", FtfyTextFixer.fixLineBreaks("Content-type: text/plain\r\n\r\nHi."));
        assertEquals("What is this \n I don't even", FtfyTextFixer.fixLineBreaks("What is this \u0085 I don't even"));
    }

    @Test
    void terminalEscapesAndControlCharactersAreRemoved() {
        assertEquals("I'm blue, da ba dee da ba doo...",
                FtfyTextFixer.removeTerminalEscapes("\u001b[36;44mI'm blue, da ba dee da ba doo...\u001b[0m"));
        assertEquals("Party like\nit's 1999!", FtfyTextFixer.fixText("\ufeffParty like\nit&rsquo;s 1999!"));
        assertEquals("ab\tc", FtfyTextFixer.removeControlChars("a\u0000\u0007b\tc\u007f"));
    }

    @Test
    void c1ControlsAreReadAsWindows1252BeforeQuotesAreUncurled() {
        // (derived) 0x93/0x94 are Windows-1252 curly double quotes, which uncurl_quotes straightens
        assertEquals("\"quoted\" \u20ac", FtfyTextFixer.fixText("\u0093quoted\u0094 \u0080"));
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("\ud83d\udca9", FtfyTextFixer.fixSurrogates("\ud83d\udca9"));
        assertEquals("\ufffd\ufffd", FtfyTextFixer.fixSurrogates("\udca9\ud83d"));
    }

    @Test
    void resultIsNfcNormalised() {
        assertEquals("caf\u00e9", FtfyTextFixer.fixText("cafe\u0301"));
    }
}
