package dev.palate.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import picocli.CommandLine;

/** Test helpers: the fixture folder, expected tensors, and running the CLI in-process. */
final class Fixtures {
    static final Path ROOT = Path.of(System.getProperty("palate.testdata", "testdata"));

    private Fixtures() {}

    static int cli(String... args) {
        return PalateCli.commandLine().execute(args);
    }

    /** Runs the CLI and returns its exit code and what it printed on stderr. */
    static Result cliCapturingErr(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = PalateCli.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Result(rc, err.toString());
    }

    record Result(int exitCode, String err) {}

    static float[] expected(Path safetensors, String key) {
        try (StateDict sd = StateDict.load(safetensors)) {
            return Tensors.toFloats(sd.get(key));
        }
    }

    static List<String> imageOrder(Path safetensors) {
        try (StateDict sd = StateDict.load(safetensors)) {
            JsonArray a = JsonParser.parseString(sd.metadata().get("image_order")).getAsJsonArray();
            return a.asList().stream().map(e -> e.getAsString()).toList();
        }
    }

    static List<JsonObject> jsonl(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    static int[] ints(JsonArray a) {
        return a.asList().stream().mapToInt(e -> e.getAsInt()).toArray();
    }
}
