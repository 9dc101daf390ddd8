package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Rust {@code from_utf8_lossy}; expected strings from Python's {@code bytes.decode("utf-8", "replace")}, which agrees. */
class Utf8LossyTest {

    @Test
    void eachMaximalInvalidSubpartBecomesOneReplacementCharacter() {
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decode("ed bf f0 f4"));
        assertEquals("\uFFFD\uFFFD", decode("ed a8"), "an encoded surrogate is two subparts (java's String(bytes, UTF_8) gives one)");
        assertEquals("\u07C0\uFFFD\uFFFD\u000F\uFFFDA\uFFFD\uFFFD\uFFFD", decode("df 80 a0 ef 0f df 41 ed bf bf"));
        assertEquals("\uFFFDs\uFFFD\uFFFD", decode("c8 73 ed a0"));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDAAA", decode("f4 ff c1 ed a0 f8 41 41 41"));
        assertEquals("\uFFFD", decode("f0 9f 98"), "a truncated sequence at the end is one subpart");
        assertEquals("😀é", decode("f0 9f 98 80 c3 a9"));
    }

    private static String decode(String hex) {
        byte[] b = HexFormat.ofDelimiter(" ").parseHex(hex);
        return Utf8Lossy.decode(b, b.length);
    }
}
