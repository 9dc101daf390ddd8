package dev.palate.models.judges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The judge fixtures read with Python's json semantics ({@link PyJson}: NaN, int vs float kept). */
final class JudgeFixtures {
    static final Path ROOT = Path.of(System.getProperty("palate.testdata", "../testdata"));
    static final Path QWEN3VL = ROOT.resolve("qwen3vl-judge");
    static final Path QWEN35 = ROOT.resolve("qwen35-judge");

    private JudgeFixtures() {}

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Path file) {
        return lines(file).stream().map(l -> (Map<String, Object>) PyJson.loads(l)).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Path file) {
        try {
            return (Map<String, Object>) PyJson.loads(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Python's {@code json.dumps(v, ensure_ascii=False)}: equal strings mean equal values, types and key order. */
    static String py(Object v) {
        return PyJson.dumps(v);
    }
}
