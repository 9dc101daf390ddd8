package dev.palate.tokenizers.bpe;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fixture folders and their tokenizers, each loaded once per test JVM (Qwen's tokenizer.json is 11 MB). */
final class BpeFixtures {

    static final Path ROOT = Path.of(System.getProperty("palate.testdata"));
    static final Path HPSV3_TOKENIZER_JSON = ROOT.resolve("hpsv3/hpsv3-tiny/tokenizer.json");
    static final Path QWEN3VL_FOLDER = ROOT.resolve("qwen3vl-judge/tokenizer");
    static final Path QWEN35_FOLDER = ROOT.resolve("qwen35-judge/model");

    private static ByteLevelBpeTokenizer hpsv3;
    private static ByteLevelBpeTokenizer qwen3vl;
    private static ByteLevelBpeTokenizer qwen35;

    private BpeFixtures() {}

    static synchronized ByteLevelBpeTokenizer hpsv3() {
        if (hpsv3 == null) {
            hpsv3 = ByteLevelBpeTokenizer.fromFolder(HPSV3_TOKENIZER_JSON);
        }
        return hpsv3;
    }

    static synchronized ByteLevelBpeTokenizer qwen3vl() {
        if (qwen3vl == null) {
            qwen3vl = ByteLevelBpeTokenizer.fromFolder(QWEN3VL_FOLDER);
        }
        return qwen3vl;
    }

    static synchronized ByteLevelBpeTokenizer qwen35() {
        if (qwen35 == null) {
            qwen35 = ByteLevelBpeTokenizer.fromFolder(QWEN35_FOLDER);
        }
        return qwen35;
    }

    static List<JsonObject> jsonl(Path file) {
        List<JsonObject> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>(a.size());
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** Java-escaped, so that whitespace and invisible characters show in failure messages. */
    static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\') {
                b.append((char) cp);
            } else {
                b.append(String.format(cp > 0xFFFF ? "\\u{%X}" : "\\u%04X", cp));
            }
        });
        return b.append('"').toString();
    }
}
