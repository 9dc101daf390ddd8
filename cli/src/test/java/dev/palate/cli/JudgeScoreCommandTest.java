package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.models.judges.PyJson;
import dev.palate.models.judges.QwenImageBench;
import dev.palate.models.judges.UnifiedReward2;

/**
 * The generative judges end to end through {@code palate score --max-new-tokens 24} on the fixture models: the text
 * each row gets equals the reference's greedy decode (skip_special_tokens), and the verdict fields equal DiffSynth's
 * parse of it as the fixtures record (UnifiedReward-Edit: forward_cases.json's parsed/score) or as the ported parsers
 * compute it (UnifiedReward 2.0, Qwen-Image-Bench; the parsers are checked against all parse cases elsewhere).
 */
class JudgeScoreCommandTest {
    private static final Path QWEN3VL = Fixtures.ROOT.resolve("qwen3vl-judge");
    private static final Path QWEN35 = Fixtures.ROOT.resolve("qwen35-judge");
    @TempDir Path dir;

    private static List<JsonObject> cases(Path json) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("cases")) out.add(e.getAsJsonObject());
        return out;
    }

    @Test
    void unifiedRewardEditWritesEachCasesTextParsedFieldsAndScore() throws Exception {
        Files.createSymbolicLink(dir.resolve("images"), QWEN3VL.resolve("images").toAbsolutePath());
        List<JsonObject> cases = cases(QWEN3VL.resolve("forward_cases.json"));
        StringBuilder m = new StringBuilder();
        for (JsonObject c : cases) {
            JsonArray images = c.getAsJsonArray("images");
            JsonObject row = new JsonObject();
            row.addProperty("prompt", c.get("instruction").getAsString());
            row.addProperty("source", "images/" + images.get(0).getAsString());
            row.addProperty("image", "images/" + images.get(1).getAsString());
            if (images.size() > 2) row.addProperty("image2", "images/" + images.get(2).getAsString());
            row.addProperty("task", c.get("task").getAsString());
            m.append(row).append('\n');
        }
        Path in = dir.resolve("edits.jsonl"), out = dir.resolve("verdicts.jsonl");
        Files.writeString(in, m);
        assertEquals(0, Fixtures.cli("score", "--metric", "unifiedreward-edit", "--model", "unifiedreward-edit=" + QWEN3VL.resolve("model"),
                "--model", "unifiedreward-edit:processor=" + QWEN3VL.resolve("tokenizer"), "--max-new-tokens", "24",
                "--batch-size", "3", "--input", in.toString(), "--output", out.toString(), "--quiet"));
        List<JsonObject> rows = Fixtures.jsonl(out);
        assertEquals(cases.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.get(i), c = cases.get(i);
            assertTrue(!r.has("error"), r.toString());
            assertEquals(c.get("decoded").getAsString(), r.get("text").getAsString(), "case " + i + " text");
            assertEquals(PyJson.dumps(PyJson.parse(c.get("parsed").toString())), PyJson.dumps(PyJson.parse(r.get("parsed").toString())), "case " + i + " parsed");
            assertEquals(c.get("score").toString(), r.get("score").toString(), "case " + i + " score");
            if (!c.get("score").isJsonNull() && !(c.get("score").isJsonPrimitive() && c.get("score").getAsDouble() == 0)) continue;
            assertTrue(r.has("parse_error"), "an unparsed verdict says so: " + r);
        }
    }

    private Path qwen35Manifest(List<JsonObject> cases, int... which) throws Exception {
        if (!Files.exists(dir.resolve("images"))) Files.createSymbolicLink(dir.resolve("images"), QWEN35.resolve("images").toAbsolutePath());
        List<JsonObject> prompts = Fixtures.jsonl(QWEN35.resolve("prompts.jsonl"));
        StringBuilder m = new StringBuilder();
        for (int w : which) {
            JsonObject c = cases.get(w), row = new JsonObject();
            String prompt = prompts.stream().filter(p -> p.get("prompt_index").getAsString().equals(c.get("prompt_index").getAsString()))
                    .findFirst().orElseThrow().get("prompt").getAsString();
            row.addProperty("image", "images/" + c.get("image").getAsString());
            row.addProperty("prompt", prompt);
            m.append(row).append('\n');
        }
        Path in = dir.resolve("rows-" + which[0] + ".jsonl");
        Files.writeString(in, m);
        return in;
    }

    @Test
    void unifiedReward2AndQwenImageBenchWriteTheReferenceTextsAndTheirParse() throws Exception {
        List<JsonObject> cases = cases(QWEN35.resolve("forward.json"));
        Path model = QWEN35.resolve("model");
        Path in = qwen35Manifest(cases, 0, 1), out = dir.resolve("ur2.jsonl");
        assertEquals(0, Fixtures.cli("score", "--metric", "unifiedreward", "--model", model.toString(), "--max-new-tokens", "24",
                "--input", in.toString(), "--output", out.toString(), "--quiet"));
        List<JsonObject> rows = Fixtures.jsonl(out);
        for (int i = 0; i < 2; i++) {
            String text = cases.get(i).get("decoded_skip_special").getAsString();
            assertEquals(text, rows.get(i).get("text").getAsString(), "ur2 case " + i + " text");
            UnifiedReward2.Parsed p = UnifiedReward2.parse(text);
            assertEquals(String.valueOf(p.score()), rows.get(i).get("score").isJsonNull() ? "null" : String.valueOf(rows.get(i).get("score").getAsDouble()), "ur2 score");
            assertEquals(p.parseError() != null, rows.get(i).has("parse_error"), "ur2 parse_error");
        }
        for (int c : new int[] {2, 3}) {
            String dim = cases.get(c).get("dimension").getAsString();
            Path q = qwen35Manifest(cases, c), qo = dir.resolve("qib-" + c + ".jsonl");
            assertEquals(0, Fixtures.cli("score", "--metric", "qwen-image-bench", "--model", model.toString(), "--max-new-tokens", "24",
                    "--dimensions", dim, "--input", q.toString(), "--output", qo.toString(), "--quiet"));
            JsonObject r = Fixtures.jsonl(qo).get(0);
            String text = cases.get(c).get("decoded_skip_special").getAsString();
            assertEquals(text, r.getAsJsonObject("raw_outputs").get(dim).getAsString(), "qib case " + c + " text");
            QwenImageBench.SampleResult expected = QwenImageBench.evaluate(List.of(dim), java.util.Map.of(dim, text));
            assertEquals(PyJson.dumps(expected.evaluation().get("parse_failures")), PyJson.dumps(PyJson.parse(r.get("parse_failures").toString())), "qib parse_failures");
            assertEquals(expected.score(), r.get("score").getAsDouble(), 0.0, "qib score");
        }
    }
}
