package dev.palate.cli.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A UTF-8 text file read line by line, so that one line with bytes that are not UTF-8 is that line's problem
 * (named by its number and byte) instead of stopping the whole read ({@code Files.readAllLines} throws
 * "Input length = 1"). A leading byte-order mark is dropped.
 */
public final class TextFile {
    /**
     * One physical line (its {@code \n}, and a {@code \r} before it, removed).
     *
     * @param number  1-based
     * @param text    the line, with U+FFFD where its bytes were not UTF-8
     * @param problem null, or what is wrong with its bytes ("byte 0xE9 at column 12 is not UTF-8")
     * @param ending  the line break that ended it: "\n", "\r\n" or "" (the last line)
     */
    public record Line(int number, String text, String problem, String ending) {}

    private TextFile() {}

    public static List<Line> lines(Path file) throws IOException {
        return lines(Files.readAllBytes(file));
    }

    public static List<Line> lines(byte[] bytes) {
        List<Line> out = new ArrayList<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        int number = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            int stop = end > start && end < bytes.length && bytes[end - 1] == '\r' ? end - 1 : end;
            String ending = end == bytes.length ? "" : stop < end ? "\r\n" : "\n";
            out.add(decode(bytes, start, stop, number++, ending));
            start = end + 1;
        }
        return out;
    }

    /** The whole text, line breaks as they were, U+FFFD for bad bytes (for parsers that need the text whole). */
    public static String text(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l.text()).append(l.ending());
        return sb.toString();
    }

    private static Line decode(byte[] b, int from, int to, int number, String ending) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return new Line(number, strict.decode(ByteBuffer.wrap(b, from, to - from)).toString(), null, ending);
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(b, from, to);
            String text = new String(b, from, to - from, StandardCharsets.UTF_8); // U+FFFD for the bad bytes
            return new Line(number, text, String.format("byte 0x%02X at column %d is not UTF-8", b[bad] & 0xFF, bad - from + 1), ending);
        }
    }

    private static int firstBadByte(byte[] b, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from + 1);
        d.decode(in, out, true);
        return in.position();
    }
}
