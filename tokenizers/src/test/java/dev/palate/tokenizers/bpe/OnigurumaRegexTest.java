package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Qwen2 and Qwen3.5 split regexes translated to java.util.regex give the pieces Oniguruma gives. Expected pieces:
 * tokenizers 0.23.2 {@code pre_tokenizers.Split(Regex(p), "isolated").pre_tokenize_str(text)}. Exact.
 */
class OnigurumaRegexTest {

    private static final Pattern QWEN2 = OnigurumaRegex.compile(VocabAndMergesFiles.QWEN2_REGEX, "test");
    private static final Pattern QWEN35 = OnigurumaRegex.compile(VocabAndMergesFiles.QWEN3_5_REGEX, "test");

    @Test
    void whitespaceRunsCrLfAndNbspSplitAsOniguruma() {
        List<String> pieces = List.of("Hello", " ", " world", "\t", "\tfoo", "\r\n\r\n", "bar", "  \n", " ", " baz");
        assertEquals(pieces, split(QWEN2, "Hello  world\t\tfoo\r\n\r\nbar  \n  baz"));
        assertEquals(pieces, split(QWEN35, "Hello  world\t\tfoo\r\n\r\nbar  \n  baz"));
        assertEquals(List.of("a", "\u00a0b", "  \u00a0", " c", "\u00a0\u00a0"), split(QWEN2, "a\u00a0b  \u00a0 c\u00a0\u00a0"));
        assertEquals(List.of("  ", " trailing", "   "), split(QWEN2, "   trailing   "));
        assertEquals(List.of("\u2028x", "\u3000y", "\u0085z", "\u000bw"), split(QWEN2, "\u2028x\u3000y\u0085z\u000bw"));
    }

    @Test
    void emojiCjkAndDigitsSplitAsOniguruma() {
        assertEquals(List.of("emoji", " 😀🎉", " and", " 🇯🇵", " 👨\u200d👩\u200d👧!"), split(QWEN2, "emoji 😀🎉 and 🇯🇵 👨\u200d👩\u200d👧!"));
        assertEquals(List.of("一只猫坐在窗台上", "。東京タワー"), split(QWEN2, "一只猫坐在窗台上。東京タワー"));
        assertEquals(List.of("1", "2", "3", " ", "４", "５", " ", "٣", "٤", " ", "½", " ", "Ⅻ"), split(QWEN2, "123 ４５ ٣٤ ½ Ⅻ"));
    }

    @Test
    void contractionsAreCaseInsensitiveIncludingLongS() {
        assertEquals(List.of("I", "'m", " '", "S", " '", "ſ", " DON", "'T", " we", "'LL", " '", "İ"),
                split(QWEN2, "I'm 'S 'ſ DON'T we'LL 'İ"));
        assertEquals(List.of("x", "'ſ", "t"), split(QWEN2, "x'ſt"));
        assertEquals(List.of("x", "'s", "T"), split(QWEN2, "x'sT"));
    }

    @Test
    void combiningMarksStayWithTheirLettersOnlyInTheQwen35Regex() {
        String text = "e\u0301 a\u0301b हिन्दी ก่า \u0301x";
        assertEquals(List.of("e", "\u0301", " a", "\u0301b", " ह", "िन", "्द", "ी", " ก", "่า", " \u0301", "x"), split(QWEN2, text));
        assertEquals(List.of("e\u0301", " a\u0301b", " हिन्दी", " ก่า", " \u0301x"), split(QWEN35, text));
    }

    @Test
    void constructsWithoutCheckedSemanticsAreRefusedAndWordAndHexClassesAreOnigurumas() {
        for (String p : List.of("(\\w)\\1", "\\bword", "[[:alpha:]]", "(?x) a", "\\p{Greek}|\\p{NotAProperty}", "a\\K")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnigurumaRegex.compile(p, "file.json"));
            assertTrue(e.getMessage().startsWith("file.json: "), e.getMessage());
        }
        assertEquals(List.of("ab_1", "-", "cd", " ", "e\u0301\u0663\u2160x"),
                split(OnigurumaRegex.compile("\\w+|\\W", "t"), "ab_1-cd e\u0301\u0663\u2160x"));
        assertEquals(List.of("a", "\u200d", "b", "\u200c", "c\u00aad\u02b0e\u0345f\u24b6g"),
                split(OnigurumaRegex.compile("\\w+", "t"), "a\u200db\u200cc\u00aad\u02b0e\u0345f\u24b6g"));
        assertEquals(List.of("ab", " ", "0fA9", "g"), split(OnigurumaRegex.compile("[\\h]+|\\H", "t"), "ab 0fA9g"));
    }

    private static List<String> split(Pattern p, String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = p.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                pieces.add(text.substring(end, m.start()));
            }
            pieces.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            pieces.add(text.substring(end));
        }
        return pieces;
    }
}
