package dev.palate.tokenizers.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected pieces were produced once with Python {@code regex} 2026.5 {@code findall} on the same strings:
 * open_clip's pattern with {@code IGNORECASE}, and the same pattern without it (the Hugging Face split).
 */
class ClipPreTokenizerTest {

    private static final ClipPreTokenizer OPEN_CLIP = new ClipPreTokenizer(true, ClipTokenizer.OPEN_CLIP_SPECIALS);
    private static final ClipPreTokenizer HUGGING_FACE = new ClipPreTokenizer(false, List.of());

    private static List<String> split(ClipPreTokenizer p, String text) {
        List<String> pieces = new ArrayList<>();
        p.split(text, pieces::add);
        return pieces;
    }

    @Test
    void ignoreCaseFoldsContractionsAndSkipsYpogegrammeni() {
        String text = "'S '\u017f x\u0345y \u2160\u2170 \u24d0 it's";
        assertEquals(List.of("'S", "'\u017f", "x", "y", "\u2160", "\u2170", "\u24d0", "it", "'s"), split(OPEN_CLIP, text));
        assertEquals(List.of("'", "S", "'", "\u017f", "x", "\u0345", "y", "\u2160", "\u2170", "\u24d0", "it", "'s"),
                split(HUGGING_FACE, text));
    }

    @Test
    void specialNamesMatchOnlyWhereAMatchStarts() {
        assertEquals(List.of("!!<", "start", "_", "of", "_", "text", ">", "a", "<END_OF_TEXT>"),
                split(OPEN_CLIP, "!!<start_of_text>a<END_OF_TEXT>"));
        assertEquals(List.of("!!<", "start", "_", "of", "_", "text", ">", "a", "<", "END", "_", "OF", "_", "TEXT", ">"),
                split(HUGGING_FACE, "!!<start_of_text>a<END_OF_TEXT>"));
    }

    @Test
    void contractionsLettersDigitsAndSymbolRuns() {
        assertEquals(List.of("we", "'ll", "'ve", "don", "'t", "'RE"), split(OPEN_CLIP, "we'll've don't'RE"));
        assertEquals(List.of("we", "'ll", "'ve", "don", "'t", "'", "RE"), split(HUGGING_FACE, "we'll've don't'RE"));
        List<String> digits = List.of("a", "1", "b", "2", "2", "\u00b3", "\u00bd", "x", "--=", "y", "...", "z");
        assertEquals(digits, split(OPEN_CLIP, "a1b22 \u00b3\u00bd x--=y...z"));
        assertEquals(digits, split(HUGGING_FACE, "a1b22 \u00b3\u00bd x--=y...z"));
    }

    @Test
    void marksEmojiAndWhiteSpaceVariants() {
        assertEquals(List.of("e", "\u0301", "t\u00e9", "\ud83d\udc31\u200d\ud83d\udc31!"),
                split(OPEN_CLIP, "e\u0301t\u00e9 \ud83d\udc31\u200d\ud83d\udc31!"));
        assertEquals(List.of("tab", "nl", "nbsp", "zwsp", "\u200b", "end"),
                split(OPEN_CLIP, "tab\tnl\u2028nbsp\u00a0zwsp\u200bend"));
    }
}
