package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.models.judges.PyJson;

/**
 * {@code palate parse} over the judges' parse fixtures (testdata/qwen3vl-judge, qwen35-judge parse_cases.jsonl):
 * every row's {@code parsed} and {@code score} exactly DiffSynth's (compared as Python's json.dumps strings, so
 * int/float types, NaN and key order count).
 */
class ParseCommandTest {
    @TempDir Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Path file) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8))
            if (!l.isBlank()) out.add((Map<String, Object>) PyJson.parse(l));
        return out;
    }

    /** Writes {@code inputs} (each row only the given keys), runs parse, returns the output rows. */
    private List<Map<String, Object>> parse(List<Map<String, Object>> inputs, List<String> keys, String... args) throws Exception {
        Path in = dir.resolve("raw.jsonl"), out = dir.resolve("parsed.jsonl");
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : inputs) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String k : keys) if (r.containsKey(k)) row.put(k, r.get(k));
            sb.append(PyJson.dumps(row)).append('\n');
        }
        Files.writeString(in, sb, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of("parse"));
        all.addAll(List.of(args));
        all.addAll(List.of("--input", in.toString(), "--output", out.toString()));
        assertEquals(0, Fixtures.cli(all.toArray(new String[0])));
        return rows(out);
    }

    private static List<Map<String, Object>> qwen35(String judge) throws Exception {
        return rows(Fixtures.ROOT.resolve("qwen35-judge/parse_cases.jsonl")).stream().filter(r -> r.get("judge").equals(judge)).toList();
    }

    @Test
    void unifiedRewardEditRowsReproduceTheFixtureLinesByteForByte() throws Exception {
        Path cases = Fixtures.ROOT.resolve("qwen3vl-judge/parse_cases.jsonl");
        Path out = dir.resolve("parsed.jsonl");
        // the fixture itself as input: {task, raw, parsed, score} comes back with DiffSynth's parsed and score
        assertEquals(0, Fixtures.cli("parse", "--metric", "unifiedreward-edit", "--input", cases.toString(), "--output", out.toString()));
        List<String> want = Files.readAllLines(cases, StandardCharsets.UTF_8), got = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(38, got.size());
        int errors = 0;
        for (int i = 0; i < want.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) PyJson.parse(got.get(i));
            if (row.remove("parse_error") != null) errors++;
            assertEquals(want.get(i), PyJson.dumps(row), "line " + (i + 1));
        }
        assertEquals(9, errors);
    }

    @Test
    void unifiedRewardEditTaskOptionAppliesToRowsWithoutATask() throws Exception {
        List<Map<String, Object>> cases = rows(Fixtures.ROOT.resolve("qwen3vl-judge/parse_cases.jsonl")).stream()
                .filter(r -> r.get("task").equals("edit_pairwise_rank")).toList();
        List<Map<String, Object>> got = parse(cases, List.of("raw"), "--metric", "unifiedreward-edit", "--task", "pairwise-rank");
        assertEquals(11, got.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(PyJson.dumps(cases.get(i).get("parsed")), PyJson.dumps(got.get(i).get("parsed")));
            assertEquals(PyJson.dumps(cases.get(i).get("score")), PyJson.dumps(got.get(i).get("score")));
        }
    }

    @Test
    void unifiedRewardRowsGiveDiffSynthsDictAndScore() throws Exception {
        List<Map<String, Object>> cases = qwen35("ur2");
        List<Map<String, Object>> got = parse(cases, List.of("raw"), "--metric", "unifiedreward");
        assertEquals(26, got.size());
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> g = got.get(i);
            assertEquals(List.of("raw", "parsed", "score"), new ArrayList<>(g.keySet()).subList(0, 3));
            assertEquals(PyJson.dumps(cases.get(i).get("expected")), PyJson.dumps(g.get("parsed")), String.valueOf(cases.get(i).get("raw")));
            assertEquals(PyJson.dumps(cases.get(i).get("primary_score")), PyJson.dumps(g.get("score")));
            assertEquals(g.get("score") == null, g.containsKey("parse_error"));
        }
    }

    @Test
    void qwenImageBenchDimensionRowsGiveDiffSynthsParseAndRaisingRowsANullScore() throws Exception {
        List<Map<String, Object>> cases = qwen35("qib");
        List<Map<String, Object>> got = parse(cases, List.of("raw", "dimension"), "--metric", "qwen-image-bench");
        assertEquals(27, got.size());
        int raised = 0;
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i), g = got.get(i);
            if (c.get("error") != null) {
                raised++;
                assertNull(g.get("parsed"));
                assertNull(g.get("score"));
                assertTrue(((String) g.get("parse_error")).contains((String) c.get("error")), String.valueOf(g));
                continue;
            }
            assertEquals(PyJson.dumps(c.get("parsed")), PyJson.dumps(g.get("parsed")), String.valueOf(c.get("raw")));
            Object level1 = c.get("parsed") == null ? null : ((Map<?, ?>) ((Map<?, ?>) c.get("parsed")).get("dimension_score")).get("level1_score");
            assertEquals(PyJson.dumps(level1), PyJson.dumps(g.get("score")));
            assertEquals(c.get("parsed") == null, g.containsKey("parse_error"));
        }
        assertEquals(2, raised);
    }

    @Test
    void qwenImageBenchSampleRowsGiveEvaluateAndComputeExactly() throws Exception {
        List<Map<String, Object>> cases = qwen35("qib_sample");
        List<Map<String, Object>> got = parse(cases, List.of("raw_outputs", "dimensions"), "--metric", "qwen-image-bench");
        assertEquals(4, got.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(PyJson.dumps(cases.get(i).get("expected")), PyJson.dumps(got.get(i).get("parsed")));
            assertEquals(PyJson.dumps(cases.get(i).get("primary_score")), PyJson.dumps(got.get(i).get("score")));
        }
        assertEquals(0.0, got.get(3).get("score")); // every item N/A: total None, compute() 0.0
    }

    @Test
    void aBadLineIsThatLinesErrorAndTheOtherRowsAreParsed() throws Exception {
        Path in = dir.resolve("raw.jsonl"), out = dir.resolve("parsed.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"raw\": \"Edited image 1 is better.\", \"task\": \"pairwise-rank\"}",
                "not json",
                "[1, 2]",
                "{\"text\": \"no raw field\"}",
                "{\"raw\": \"x\", \"task\": \"pairwise\"}",
                "",
                "{\"raw\": \"{\\\"score\\\": [20, 15]}\"}") + "\n", StandardCharsets.UTF_8);
        assertEquals(1, Fixtures.cli("parse", "--metric", "unifiedreward-edit", "--input", in.toString(), "--output", out.toString()));
        List<Map<String, Object>> got = rows(out);
        assertEquals(6, got.size());
        assertEquals(1L, got.get(0).get("score"));
        for (int i = 1; i <= 4; i++) {
            assertTrue(got.get(i).get("error") instanceof String, String.valueOf(got.get(i)));
            assertTrue(((String) got.get(i).get("error")).contains("line " + (i + 1)), String.valueOf(got.get(i)));
            assertNull(got.get(i).get("score"));
        }
        assertTrue(((String) got.get(4).get("error")).contains("pointwise, pairwise-rank or pairwise-score"));
        assertEquals(17.5, got.get(5).get("score"));
        Map<String, Object> last = got.get(5);
        assertEquals("{\"editing_success\": 20.0, \"overediting\": 15.0, \"score\": 17.5, \"reasoning\": null}", PyJson.dumps(last.get("parsed")));
    }

    @Test
    void qwenImageBenchSampleWithoutDimensionsUsesTheRawOutputKeysAndRefusesAMissingOne() throws Exception {
        Path in = dir.resolve("raw.jsonl"), out = dir.resolve("parsed.jsonl");
        Files.writeString(in, "{\"raw_outputs\": {\"Quality\": \"{\\\"Detail\\\": {\\\"Noise\\\": {\\\"score\\\": 2}}}\"}}\n"
                + "{\"raw_outputs\": {\"Quality\": \"{}\"}, \"dimensions\": \"Quality, Alignment\"}\n"
                + "{\"raw\": \"{}\", \"dimension\": \"Bogus\"}\n", StandardCharsets.UTF_8);
        assertEquals(1, Fixtures.cli("parse", "--metric", "qwen-image-bench", "--input", in.toString(), "--output", out.toString()));
        List<Map<String, Object>> got = rows(out);
        assertEquals(100.0, got.get(0).get("score"));
        assertTrue(((String) got.get(1).get("error")).contains("no raw output for dimension \"Alignment\""), String.valueOf(got.get(1)));
        assertTrue(((String) got.get(2).get("error")).contains("Unsupported Qwen-Image-Bench dimension: Bogus"), String.valueOf(got.get(2)));
    }
}
