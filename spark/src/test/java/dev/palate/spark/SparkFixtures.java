package dev.palate.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;

import com.google.gson.JsonParser;

/** Test support: one local[2] SparkSession for the whole test JVM, and the fixture images and texts of testdata/clip. */
final class SparkFixtures {
    static final Path CLIP = Path.of(System.getProperty("palate.testdata")).resolve("clip");
    static final String TINY = CLIP.resolve("clip-tiny-gelu").toString();
    /** Bytes no decoder takes: the bad row of every test. */
    static final byte[] CORRUPT = "this is not an image, only text in a .png file".getBytes(StandardCharsets.UTF_8);

    private static SparkSession spark;

    private SparkFixtures() {}

    /** Started on first use (about 3 s), stopped when the JVM exits. */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("palate-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }

    /** One image to score: where it is, its bytes, its prompt. */
    record Item(String key, Path path, byte[] bytes, String prompt) {}

    /** The fixture images (sorted by name), then {@code corrupt.png} written to {@code dir}; prompts cycle through the texts. */
    static List<Item> items(Path dir) {
        try {
            List<String> texts = texts();
            List<Path> paths;
            try (Stream<Path> s = Files.list(CLIP.resolve("images"))) {
                paths = new ArrayList<>(s.sorted().toList());
            }
            Path corrupt = dir.resolve("corrupt.png");
            Files.write(corrupt, CORRUPT);
            paths.add(corrupt);
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                out.add(new Item(String.format("%05d", i), p, Files.readAllBytes(p), texts.get(i % texts.size())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The texts of tokenizer_cases.jsonl, in order. */
    static List<String> texts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(CLIP.resolve("tokenizer_cases.jsonl")))
            if (!line.isBlank()) out.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
        return out;
    }
}
