package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** PyJson against CPython 3.11's json module (expected strings printed by it). */
class PyJsonTest {

    @Test
    void dumpsOfLoadsReproducesEveryJudgeFixtureLineByteForByte() {
        // the fixture lines were written by json.dumps(row, ensure_ascii=False)
        int n = 0;
        for (Path f : List.of(JudgeFixtures.QWEN3VL.resolve("parse_cases.jsonl"), JudgeFixtures.QWEN3VL.resolve("prompts.jsonl"),
                JudgeFixtures.QWEN35.resolve("parse_cases.jsonl"), JudgeFixtures.QWEN35.resolve("prompts.jsonl")))
            for (String line : JudgeFixtures.lines(f)) {
                assertEquals(line, PyJson.dumps(PyJson.loads(line)), f.getFileName().toString());
                n++;
            }
        assertEquals(125, n);
    }

    @Test
    void floatsAreWrittenAsPythonsRepr() {
        double[] x = {0.1, 1e16, 1e15, 1e-5, 0.0001, 1.5e300, 5e-324, 2.9299999999999997, -0.0, 123456789.123, 1e22,
                3 * Double.MIN_VALUE, 9007199254740993.0, 0.3, 100.0, 1.0 / 3, Double.MIN_NORMAL, 0x1p60, Double.MAX_VALUE, 123e-20};
        String[] repr = {"0.1", "1e+16", "1000000000000000.0", "1e-05", "0.0001", "1.5e+300", "5e-324", "2.9299999999999997", "-0.0",
                "123456789.123", "1e+22", "1.5e-323", "9007199254740992.0", "0.3", "100.0", "0.3333333333333333",
                "2.2250738585072014e-308", "1.152921504606847e+18", "1.7976931348623157e+308", "1.23e-18"};
        for (int i = 0; i < x.length; i++) assertEquals(repr[i], PyJson.floatRepr(x[i]), "x=" + x[i]);
        assertEquals("[NaN, Infinity, -Infinity]", PyJson.dumps(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

    @Test
    void dumpsEscapesAsPythonWithEnsureAsciiFalse() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", java.util.Arrays.asList(1L, 2.5, null, true, "é\n\"\\\u0007"));
        m.put("b", Double.NaN);
        m.put("c", Double.NEGATIVE_INFINITY);
        assertEquals("{\"a\": [1, 2.5, null, true, \"é\\n\\\"\\\\\\u0007\"], \"b\": NaN, \"c\": -Infinity}", PyJson.dumps(m));
    }

    @Test
    void loadsAcceptsWhatPythonAccepts() {
        assertTrue(Double.isNaN((Double) PyJson.loads("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, PyJson.loads(" -Infinity\n"));
        assertEquals(Double.POSITIVE_INFINITY, PyJson.loads("1E400"));
        assertEquals(0L, PyJson.loads("-0"));
        assertEquals(-0.0, PyJson.loads("-0.0"));
        assertEquals(1.0, PyJson.loads("1.0"));
        assertEquals(new BigInteger("123456789012345678901234567890"), PyJson.loads("123456789012345678901234567890"));
        Map<?, ?> dup = (Map<?, ?>) PyJson.loads("{\"a\": 1, \"b\": 2, \"a\": 3}");
        assertEquals("{\"a\": 3, \"b\": 2}", PyJson.dumps(dup)); // first position, last value
        assertEquals("\ud800", PyJson.loads("\"\\ud800\""));
        assertEquals("\ud83d\ude00", PyJson.loads("\"\\ud83d\\ude00\""));
        assertEquals(List.of(), PyJson.loads(" \t\n\r[] \r\n"));
    }

    @Test
    void loadsRefusesWithPythonsMessages() {
        String[][] cases = {
                {"", "Expecting value: line 1 column 1 (char 0)"},
                {"{\"a\": 1,}", "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"},
                {"[1,]", "Expecting value: line 1 column 4 (char 3)"},
                {"{'a': 1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
                {"\"\u0001\"", "Invalid control character at: line 1 column 2 (char 1)"},
                {"01", "Extra data: line 1 column 2 (char 1)"},
                {"1.", "Extra data: line 1 column 2 (char 1)"},
                {"-", "Expecting value: line 1 column 1 (char 0)"},
                {" \u00a01", "Expecting value: line 1 column 2 (char 1)"},
                {"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"},
                {"[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"},
                {"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"},
                {"\"\\x\"", "Invalid \\escape: line 1 column 2 (char 1)"},
                {"\"\\u12g4\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
                {"\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"},
                {"{\"a\": 1}\n\n x", "Extra data: line 3 column 2 (char 11)"}};
        for (String[] c : cases) {
            PyException e = assertThrows(PyException.class, () -> PyJson.loads(c[0]), c[0]);
            assertEquals("JSONDecodeError", e.type());
            assertEquals("JSONDecodeError: " + c[1], e.getMessage());
        }
    }

    @Test
    void hugeIntegersAndDeepNestingRaiseOtherErrorsThanDecodeErrors() {
        assertEquals(new BigInteger("1".repeat(4300)), PyJson.loads("1".repeat(4300)));
        assertEquals("ValueError", assertThrows(PyException.class, () -> PyJson.loads("1".repeat(4301))).type());
        PyJson.loads("[".repeat(900) + "]".repeat(900));
        assertEquals("RecursionError", assertThrows(PyException.class, () -> PyJson.loads("[".repeat(2000) + "]".repeat(2000))).type());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyJson.parse("{"));
        assertTrue(e.getMessage().startsWith("JSONDecodeError: Expecting property name"), e.getMessage());
    }
}
