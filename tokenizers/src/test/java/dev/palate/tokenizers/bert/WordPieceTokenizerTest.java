package dev.palate.tokenizers.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {

    private static final WordPieceTokenizer TOK = WordPieceTokenizer.bundledBertBaseUncased();

    @TempDir
    Path tmp;

    private static int[] ids(String... tokens) {
        return Arrays.stream(tokens).mapToInt(t -> {
            int id = TOK.tokenId(t);
            assertTrue(id >= 0, t + " is not in the vocabulary");
            return id;
        }).toArray();
    }

    @Test
    void bertSpecialIdsAreTheBertBaseUncasedOnes() {
        assertEquals(101, TOK.clsId());
        assertEquals(102, TOK.sepId());
        assertEquals(0, TOK.padId());
        assertEquals(100, TOK.unkId());
        assertEquals(30524, TOK.vocabSize());
    }

    @Test
    void imageRewardAddedSpecialsAreKnownWholeTokens() {
        assertEquals(30522, TOK.tokenId("[DEC]"));
        assertEquals(30523, TOK.tokenId("[ENC]"));
        assertArrayEquals(new int[] {30522, 1037, 6302, 30523}, TOK.tokenIds("[DEC] a photo[ENC]"));
        // added tokens match the raw text case-sensitively, as in tokenizers and the slow BertTokenizer
        assertArrayEquals(ids("[", "dec", "]"), TOK.tokenIds("[dec]"));
        assertArrayEquals(new int[] {101, 1037, 102}, TOK.tokenIds("[CLS] a [SEP]"));
    }

    @Test
    void punctuationIsSplitOffAndAsciiSymbolsCountAsPunctuation() {
        assertArrayEquals(ids("don", "'", "t", "stop", "-", "believing", "$", "5", "^", "~"),
                TOK.tokenIds("Don't stop-believing $5^~"));
    }

    @Test
    void accentsAreStrippedAndTextLowercased() {
        assertArrayEquals(TOK.tokenIds("cafe naive"), TOK.tokenIds("CAFÉ Naïve"));
        assertArrayEquals(TOK.tokenIds("cafe"), TOK.tokenIds("Cafe\u0301"));
    }

    @Test
    void cjkIdeographsBecomeSeparateWords() {
        assertArrayEquals(TOK.tokenIds("\u732b \u548c \u72d7"), TOK.tokenIds("\u732b\u548c\u72d7"));
        // hiragana is not in the CJK ranges: it stays one word
        assertEquals(1, TOK.tokenIds("\u306e").length);
    }

    @Test
    void controlAndFormatCharactersAreDroppedAndWhitespaceSplits() {
        assertArrayEquals(TOK.tokenIds("ab"), TOK.tokenIds("a\u0000\u200bb\ufffd"));
        assertArrayEquals(TOK.tokenIds("a b c d"), TOK.tokenIds("a\tb\u00a0c\u3000d"));
    }

    @Test
    void wordsOverOneHundredCharactersAreUnknown() {
        assertArrayEquals(new int[] {100}, TOK.tokenIds("a".repeat(101)));
        int[] hundred = TOK.tokenIds("a".repeat(100));
        assertTrue(hundred.length > 1 && Arrays.stream(hundred).noneMatch(id -> id == 100), Arrays.toString(hundred));
    }

    @Test
    void wordWithoutAnyMatchingPieceIsOneUnknownToken() {
        assertArrayEquals(ids("rocket", "[UNK]", "party"), TOK.tokenIds("rocket \ud83d\ude80\ud83d\ude80 party"));
    }

    @Test
    void longTextIsTruncatedToMaxLengthWithSepLast() {
        Encoding e = TOK.encode("token ".repeat(100), 35);
        assertEquals(35, e.length());
        assertEquals(101, e.ids()[0]);
        assertEquals(102, e.ids()[34]);
        assertEquals(35, e.realLength());
        assertEquals(TOK.tokenId("token"), e.ids()[33]);
    }

    @Test
    void shortTextIsPaddedWithZerosAndMaskedOut() {
        Encoding e = TOK.encode("a photo", 8);
        assertArrayEquals(new int[] {101, 1037, 6302, 102, 0, 0, 0, 0}, e.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 0, 0}, e.attentionMask());
        assertArrayEquals(new int[] {101, 102}, TOK.encode("", 2).ids());
        assertThrows(IllegalArgumentException.class, () -> TOK.encode("a", 1));
    }

    @Test
    void imageRewardTokenizerPrefersExplicitPathThenHuggingFaceCacheThenBundled() throws IOException {
        Path vocab = Path.of(System.getProperty("palate.testdata")).resolve("imagereward/vocab.txt");

        WordPieceTokenizer explicit = WordPieceTokenizer.forImageReward(vocab, tmp);
        assertEquals(vocab.toString(), explicit.source());
        assertEquals(30523, explicit.tokenId("[ENC]"));

        assertTrue(WordPieceTokenizer.forImageReward(null, tmp).source().startsWith("bundled"));

        Path snapshot = Files.createDirectories(tmp.resolve("models--google-bert--bert-base-uncased/snapshots/abc123"));
        Files.copy(vocab, snapshot.resolve("vocab.txt"));
        Files.createDirectories(tmp.resolve("models--google-bert--bert-base-uncased/refs"));
        Files.writeString(tmp.resolve("models--google-bert--bert-base-uncased/refs/main"), "abc123\n");
        WordPieceTokenizer cached = WordPieceTokenizer.forImageReward(null, tmp);
        assertEquals(snapshot.resolve("vocab.txt").toString(), cached.source());
        assertEquals(30522, cached.tokenId("[DEC]"));
    }

    @Test
    void missingVocabularyErrorNamesTheFile() {
        Path missing = tmp.resolve("nope/vocab.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.fromVocab(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        IllegalArgumentException dir = assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.forImageReward(tmp, tmp));
        assertTrue(dir.getMessage().contains("vocab.txt") && dir.getMessage().contains("tokenizer.json"), dir.getMessage());
    }
}
