package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** A line that is not UTF-8 is that line's problem, named by file and line, in tokenize and report. */
class InvalidUtf8LinesTest {
    @TempDir Path dir;

    private static byte[] lines(String first, byte[] bad, String last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes(last.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void tokenizeWritesAnErrorRowForTheBadLineTokenizesTheRestAndExitsOne() throws Exception {
        Path in = dir.resolve("t.jsonl"), out = dir.resolve("ids.jsonl");
        Files.write(in, lines("{\"text\": \"a cat\"}\n", "{\"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1),
                "not json\n{\"text\": \"a dog\"}\n"));
        Fixtures.Result r = Fixtures.cliCapturingErr("tokenize", "--tokenizer", "clip", "--input", in.toString(), "--output", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        List<JsonObject> rows = Fixtures.jsonl(out);
        assertEquals(4, rows.size());
        assertEquals("a cat", rows.get(0).get("text").getAsString());
        assertEquals(in + " line 2: not UTF-8 text (byte 0xE9 at column 14 is not UTF-8)", rows.get(1).get("error").getAsString());
        assertEquals(3, rows.get(2).get("line").getAsInt());
        assertEquals("a dog", rows.get(3).get("text").getAsString());
    }

    @Test
    void reportNamesTheFileLineAndByteInsteadOfInputLengthOne() throws Exception {
        Path scores = dir.resolve("s.jsonl");
        Files.write(scores, lines("{\"image\": \"a.png\", \"checkpoint\": \"a\", \"metric\": \"hpsv2\", \"score\": 0.2}\n",
                "{\"image\": \"\u00e9.png\", \"checkpoint\": \"b\", \"metric\": \"hpsv2\", \"score\": 0.3}\n".getBytes(StandardCharsets.ISO_8859_1), ""));
        Fixtures.Result r = Fixtures.cliCapturingErr("report", "--input", scores.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(scores + ":2: not UTF-8 text (byte 0xE9 at column 12 is not UTF-8)"), r.err());
    }
}
