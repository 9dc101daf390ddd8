package dev.palate.tokenizers.bpe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's {@code bytes_to_unicode} (tokenizers {@code pre_tokenizers/byte_level.rs} {@code bytes_char}): the printable
 * bytes {@code !..~}, {@code ¡..¬}, {@code ®..ÿ} stand for themselves, the other 68 for U+0100, U+0101, … in
 * increasing byte order. Every byte becomes exactly one char, so a BPE word's initial symbols are its bytes.
 */
final class ByteLevelAlphabet {

    /** byte → its char. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** char → its byte, -1 for chars outside the alphabet (indexed up to U+0143, the highest alphabet char). */
    private static final int[] CHAR_TO_BYTE;

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) next++;
        }
        CHAR_TO_BYTE = new int[next];
        Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The byte-level string of a text piece: its UTF-8 bytes, one alphabet char each. */
    static String encode(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * The ByteLevel decoder's bytes for one token ({@code byte_level.rs} {@code decode_chain}): the alphabet bytes
     * when every char of the token is in the alphabet, else the token's own UTF-8 bytes (an added token such as
     * {@code 你好}, or {@code <|im_end|>} which happens to be all printable ASCII and so maps to itself).
     */
    static void appendTokenBytes(String token, ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            out.write(CHAR_TO_BYTE[token.charAt(i)]);
        }
    }
}
