package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark/run-local after {@code mvn package} (this runs in the integration-test phase of {@code mvn verify}): plain
 * java, the shaded jar plus Spark's jars, local[2], the fixture folder through binaryFile.
 */
class RunLocalScriptIT {
    @TempDir Path dir;

    @Test
    void runLocalScoresTheFixtureFolderWithPlainJavaInLocalMode() throws Exception {
        Path root = SparkFixtures.CLIP.getParent().getParent();
        Path out = dir.resolve("scores"), log = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder("bash", root.resolve("spark/run-local").toString(), "--master", "local[2]",
                "--input", SparkFixtures.CLIP.resolve("images").toString(), "--format", "binaryFile", "--metric", "hpsv2",
                "--model", SparkFixtures.TINY, "--prompt", "a photo of a cat", "--output", out.toString(), "--output-format", "json")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "run-local finished");
        String err = Files.readString(log);
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("palate ScoreJob: 10 rows (0 with an error)"), err);
        List<String> rows;
        try (Stream<Path> parts = Files.list(out)) {
            rows = parts.filter(f -> f.getFileName().toString().startsWith("part-")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(10, rows.size());
        for (String r : rows) assertTrue(r.contains("\"hpsv2\":") && r.contains("\"prompt\":\"a photo of a cat\""), r);
    }
}
