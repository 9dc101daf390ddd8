package dev.palate.tokenizers.bert;

import dev.palate.tokenizers.text.WhiteSpace;
import java.util.function.Consumer;

/**
 * Hugging Face tokenizers' {@code BertPreTokenizer}: split on whitespace (dropped), then every
 * punctuation character becomes a word of its own. Punctuation is ASCII {@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~}
 * (code points 33–47, 58–64, 91–96, 123–126) or any Unicode P* category (Pc Pd Ps Pe Pi Pf Po).
 */
final class BertPreTokenizer {

    private BertPreTokenizer() {}

    static void split(String text, Consumer<String> words) {
        int n = text.length();
        int wordStart = -1;
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (WhiteSpace.is(cp)) {
                if (wordStart >= 0) {
                    words.accept(text.substring(wordStart, i));
                    wordStart = -1;
                }
            } else if (isPunctuation(cp)) {
                if (wordStart >= 0) {
                    words.accept(text.substring(wordStart, i));
                    wordStart = -1;
                }
                words.accept(text.substring(i, next));
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) {
            words.accept(text.substring(wordStart));
        }
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        if (cp < 0x80) {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }
}
