package dev.palate.cli.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.palate.cli.ReportCommand;
import picocli.CommandLine;

/** A scores file of 3 checkpoints × 5 prompts × 4 seeds with two metrics, and helpers to run the command on it. */
final class SampleScores {
    static final List<String> CHECKPOINTS = List.of("ckpt-0500", "ckpt-1000", "ckpt-1500");
    static final int PROMPTS = 5;
    static final int SEEDS = 4;
    /** The one failed image: checkpoint index, prompt index, seed. */
    static final int[] FAILED = {1, 3, 2};

    /** One image's scores; pickscore and aesthetic are NaN for the failed row. */
    record Image(String checkpoint, String promptId, String prompt, int seed, double pickscore, double aesthetic, String error) {
    }

    static List<Image> images() {
        Random rnd = new Random(20240605);
        List<Image> out = new ArrayList<>();
        for (int c = 0; c < CHECKPOINTS.size(); c++)
            for (int p = 0; p < PROMPTS; p++)
                for (int s = 0; s < SEEDS; s++) {
                    // Scores rounded to 3 decimals, as a scorer's JSON would show them; some exact repeats occur.
                    double pick = round3(20.5 + 0.4 * c - 0.3 * p + rnd.nextGaussian() * 0.8);
                    double aes = round3(5.6 + 0.25 * c + 0.1 * p + rnd.nextGaussian() * 0.5);
                    boolean failed = c == FAILED[0] && p == FAILED[1] && s == FAILED[2];
                    out.add(new Image(CHECKPOINTS.get(c), "p" + p, prompt(p), 1000 + s,
                            failed ? Double.NaN : pick, failed ? Double.NaN : aes, failed ? "CUDA out of memory" : null));
                }
        return out;
    }

    static String prompt(int p) {
        return switch (p) {
            case 0 -> "a red fox in the snow, watercolor";
            case 1 -> "a \"quoted\" robot reading a book";
            case 2 -> "isometric city at night";
            case 3 -> "portrait of an old fisherman, 85mm";
            default -> "a bowl of ramen, studio lighting";
        };
    }

    static Path writeJsonl(Path dir, List<Image> images) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Image i : images) {
            sb.append(String.format(Locale.ROOT, "{\"image\": \"out/%s/%s_%d.png\", \"prompt\": \"%s\", \"prompt_id\": \"%s\","
                            + " \"checkpoint\": \"%s\", \"seed\": %d", i.checkpoint(), i.promptId(), i.seed(),
                    i.prompt().replace("\"", "\\\""), i.promptId(), i.checkpoint(), i.seed()));
            if (i.error() != null) sb.append(", \"error\": \"").append(i.error()).append('"');
            else sb.append(", \"pickscore\": ").append(i.pickscore()).append(", \"aesthetic-v2\": ").append(i.aesthetic());
            sb.append("}\n");
        }
        Path f = dir.resolve("scores.jsonl");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    static Path writeCsv(Path dir, List<Image> images) throws IOException {
        StringBuilder sb = new StringBuilder("image,prompt,prompt_id,checkpoint,seed,pickscore,aesthetic-v2,error\r\n");
        for (Image i : images) {
            String prompt = "\"" + i.prompt().replace("\"", "\"\"") + ", v2\""; // comma and quotes inside a quoted cell
            sb.append(String.join(",", "out/" + i.checkpoint() + "/" + i.promptId() + "_" + i.seed() + ".png", prompt,
                    i.promptId(), i.checkpoint(), Integer.toString(i.seed()),
                    i.error() == null ? Double.toString(i.pickscore()) : "",
                    i.error() == null ? Double.toString(i.aesthetic()) : "", i.error() == null ? "" : i.error()));
            sb.append("\r\n");
        }
        Path f = dir.resolve("scores.csv");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    /** Runs {@code palate report} with these arguments; returns stdout, fails on a non-zero exit. */
    static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(args);
        if (rc != 0) throw new AssertionError("palate report exited " + rc + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return out.toString();
    }

    /** Reads a long-format report CSV into (section|group|metric|stat) → value. */
    static Map<String, String> readReportCsv(Path csv) throws IOException {
        List<dev.palate.cli.run.Csv.Record> records = dev.palate.cli.run.Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
        if (!records.get(0).cells().equals(List.of("section", "group", "metric", "stat", "value")))
            throw new AssertionError("unexpected header " + records.get(0).cells());
        Map<String, String> m = new HashMap<>();
        for (dev.palate.cli.run.Csv.Record r : records.subList(1, records.size())) {
            List<String> c = r.cells();
            String key = c.get(0) + "|" + c.get(1) + "|" + c.get(2) + "|" + c.get(3);
            if (m.put(key, c.get(4)) != null) throw new AssertionError("duplicate report line " + key);
        }
        return m;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private SampleScores() {
    }
}
