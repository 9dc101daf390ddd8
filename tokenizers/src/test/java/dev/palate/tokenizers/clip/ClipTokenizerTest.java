package dev.palate.tokenizers.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

    private static final ClipTokenizer OPEN_CLIP = ClipTokenizer.openClip();

    @TempDir
    Path tmp;

    @Test
    void overLongTextKeepsFirst75TokensAndEndsWithEndToken() {
        String text = "photo ".repeat(200);
        int[] content = OPEN_CLIP.tokenIds(text);
        assertEquals(200, content.length);
        int[] ids = OPEN_CLIP.encode(text);
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        assertArrayEquals(Arrays.copyOf(content, 75), Arrays.copyOfRange(ids, 1, 76));
        assertEquals(49407, ids[76]);
    }

    @Test
    void textOfExactly75TokensFillsTheContextWithoutPadding() {
        int[] ids = OPEN_CLIP.encode("photo ".repeat(75));
        assertEquals(1125, ids[75]);
        assertEquals(49407, ids[76]);
    }

    @Test
    void openClipPadsWithZeroAndCountsTokensWithoutSpecials() {
        int[] ids = OPEN_CLIP.encode("a photo of a cat");
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407, 0}, Arrays.copyOf(ids, 8));
        assertEquals(0, ids[76]);
        assertEquals(5, OPEN_CLIP.countTokens("a photo of a cat"));
        assertEquals(0, OPEN_CLIP.padId());
    }

    @Test
    void customContextLengthTruncatesTheSameWay() {
        assertArrayEquals(new int[] {49406, 320, 1125, 49407}, OPEN_CLIP.encode("a photo of a cat", 4));
        assertThrows(IllegalArgumentException.class, () -> OPEN_CLIP.encode("x", 1));
    }

    @Test
    void openClipCleaningAppliesFtfyThenHtmlUnescapeTwice() {
        assertEquals("fish & chips", OPEN_CLIP.normalize("  FISH &amp;amp;amp; Chips\u3000"));
        // a literal '<' switches ftfy's entity decoding off; html.unescape still runs twice
        assertEquals("<3 &amp; x", OPEN_CLIP.normalize("<3 &amp;amp;amp; x"));
        assertEquals("\"fluffiest\" it's", OPEN_CLIP.normalize("\u201c\ufb02u\ufb03e\ufb06\u201d it\u2019s"));
        assertEquals("fullwidth text", OPEN_CLIP.normalize("\uff26\uff35\uff2c\uff2c\uff37\uff29\uff24\uff34\uff28\u3000text"));
        assertEquals("blue", OPEN_CLIP.normalize("\u001b[36;44mBlue\u001b[0m\u0007\ufeff"));
    }

    @Test
    void openClipTokenizesCurlyApostropheAsTheContraction() {
        assertArrayEquals(OPEN_CLIP.tokenIds("it's"), OPEN_CLIP.tokenIds("it\u2019s"));
    }

    @Test
    void openClipLowercasesWithFinalSigmaLikePythonStrLower() {
        assertEquals("\u03c3\u03b1\u03c2", OPEN_CLIP.normalize("\u03a3\u0391\u03a3"));
    }

    @Test
    void openClipSkipsYpogegrammeniLikeItsIgnoreCaseRegex() {
        // Python regex with IGNORECASE matches U+0345 with neither [\p{L}] nor [^\s\p{L}\p{N}]
        assertArrayEquals(OPEN_CLIP.tokenIds("x y"), OPEN_CLIP.tokenIds("x\u0345y"));
    }

    @Test
    void openClipSpecialNamesInTextBecomeSpecialIds() {
        int[] ids = OPEN_CLIP.tokenIds("a <end_of_text> b");
        assertArrayEquals(new int[] {320, 49407, 321}, ids);
    }

    @Test
    void huggingFaceFolderPadsWithEndTokenByDefault() throws IOException {
        ClipTokenizer hf = ClipTokenizer.fromHuggingFaceFolder(HuggingFaceClipFolders.slowFiles(tmp, Map.of()));
        assertEquals(ClipNormalization.HUGGING_FACE, hf.normalization());
        assertEquals(49407, hf.padId());
        int[] ids = hf.encode("a photo of a cat");
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407, 49407}, Arrays.copyOf(ids, 8));
        assertEquals(49407, ids[76]);
        int[] mask = hf.attentionMask(ids);
        assertEquals(7, Arrays.stream(mask).sum());
    }

    @Test
    void huggingFacePadTokenComesFromTheFolderConfig() throws IOException {
        Path exclamation = Files.createDirectory(tmp.resolve("laion"));
        HuggingFaceClipFolders.slowFiles(exclamation, Map.of("tokenizer_config.json", "{\"pad_token\": \"!\"}"));
        assertEquals(0, ClipTokenizer.fromHuggingFaceFolder(exclamation).padId());

        Path object = Files.createDirectory(tmp.resolve("openai"));
        HuggingFaceClipFolders.slowFiles(object, Map.of(
                "tokenizer_config.json", "{\"pad_token\": \"!\"}",
                "special_tokens_map.json", "{\"pad_token\": {\"content\": \"<|endoftext|>\", \"lstrip\": false}}"));
        assertEquals(49407, ClipTokenizer.fromHuggingFaceFolder(object).padId());

        Path fast = Files.createDirectory(tmp.resolve("fast"));
        HuggingFaceClipFolders.fastFile(fast, "{\"pad_id\": 0, \"pad_token\": \"!\"}", Map.of());
        assertEquals(0, ClipTokenizer.fromHuggingFaceFolder(fast).padId());
        assertEquals(0, ClipTokenizer.fromHuggingFaceFolder(fast.resolve("tokenizer.json")).padId());
    }

    @Test
    void huggingFaceFlavourMatchesOpenClipOnFixtureTextsWithoutEntities() throws IOException {
        ClipTokenizer slow = ClipTokenizer.fromHuggingFaceFolder(HuggingFaceClipFolders.slowFiles(
                Files.createDirectory(tmp.resolve("slow")), Map.of()));
        ClipTokenizer fast = ClipTokenizer.fromHuggingFaceFolder(HuggingFaceClipFolders.fastFile(
                Files.createDirectory(tmp.resolve("fast")), null, Map.of()));
        int compared = 0;
        for (ClipTokenizerFixtureTest.Case c : ClipTokenizerFixtureTest.cases()) {
            if (c.text().contains("&")) {
                continue;
            }
            int[] expected = c.ids().clone();
            int end = indexOf(expected, 49407);
            Arrays.fill(expected, end + 1, 77, 49407);
            assertArrayEquals(expected, slow.encode(c.text()), c.text());
            assertArrayEquals(expected, fast.encode(c.text()), c.text());
            compared++;
        }
        assertTrue(compared >= 28, "compared " + compared);
    }

    @Test
    void huggingFaceFlavourDiffersWhereItsNormalisationDoes() throws IOException {
        ClipTokenizer hf = ClipTokenizer.fromHuggingFaceFolder(HuggingFaceClipFolders.slowFiles(tmp, Map.of()));
        // no HTML unescaping: "&amp;" stays text
        assertEquals("fish &amp; chips", hf.normalize("Fish &amp; Chips"));
        assertNotEquals(Arrays.toString(OPEN_CLIP.tokenIds("fish &amp; chips")), Arrays.toString(hf.tokenIds("fish &amp; chips")));
        // no ftfy: a curly apostrophe is not the contraction
        assertNotEquals(Arrays.toString(hf.tokenIds("it's")), Arrays.toString(hf.tokenIds("it\u2019s")));
        // NFC in both flavours: a decomposed é tokenises like the precomposed one
        assertArrayEquals(hf.tokenIds("caf\u00e9"), hf.tokenIds("cafe\u0301"));
        assertArrayEquals(OPEN_CLIP.tokenIds("caf\u00e9"), OPEN_CLIP.tokenIds("cafe\u0301"));
        // per-character lowercase: no final sigma
        assertEquals("\u03c3\u03b1\u03c3", hf.normalize("\u03a3\u0391\u03a3"));
        // added tokens are split out of the text
        assertArrayEquals(new int[] {320, 49407, 321}, hf.tokenIds("a<|endoftext|>b"));
    }

    @Test
    void missingFolderErrorNamesThePlacesLooked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromHuggingFaceFolder(tmp));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains(tmp.toString()), e.getMessage());
    }

    @Test
    void concurrentEncodingGivesTheSameIdsAsSequential() throws Exception {
        List<String> texts = ClipTokenizerFixtureTest.cases().stream().map(ClipTokenizerFixtureTest.Case::text).toList();
        ClipTokenizer fresh = ClipTokenizer.fromMergesFile(
                Path.of(System.getProperty("palate.testdata")).resolve("clip/vocab/bpe_simple_vocab_16e6.txt.gz"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> fresh.encode(texts)));
            }
            int[][] expected = OPEN_CLIP.encode(texts);
            for (Future<int[][]> f : futures) {
                assertTrue(Arrays.deepEquals(expected, f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
