package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.models.fid.FidWeights;
import dev.palate.models.fid.NpzStats;
import picocli.CommandLine;

class FidCommandTest {
    @TempDir Path tmp;

    int run(FidCommand cmd, ByteArrayOutputStream out, String... args) {
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CommandLine(cmd).execute(args);
    }

    @Test
    void fidOfAFolderAgainstItselfIsZeroAndStatsRoundTripThroughSaveStats() throws Exception {
        Path images = Path.of(System.getProperty("palate.testdata")).resolve("fid-style/images");
        Path weights = DeterministicInception.checkpoint(tmp);
        Path stats = tmp.resolve("ref.npz");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = run(new FidCommand(), out, "--reference", images.toString(), "--generated", images.toString(),
                "--weights", weights.toString(), "--dims", "64", "--batch-size", "3", "--kid", "--kid-subsets", "2",
                "--save-stats", stats.toString(), "--json");
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, json);
        assertTrue(json.contains("\"mode\": \"legacy\"") && json.contains("\"kid\"") && json.contains("\"generated_images\": 6"), json);
        double fid = Double.parseDouble(json.replaceAll("(?s).*\"fid\": ([^,]+),.*", "$1"));
        assertEquals(0.0, fid, 1e-6);
        assertEquals(64, NpzStats.read(stats).dim());

        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        rc = run(new FidCommand(), out2, "--reference", stats.toString(), "--generated", images.toString(),
                "--weights", weights.toString(), "--dims", "64", "--mode", "clean");
        String text = out2.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.startsWith("FID: ") && text.contains("mode: clean"), text);
    }

    @Test
    void missingWeightsAreAnErrorNamingTheFileAndTheDownload() {
        Path images = Path.of(System.getProperty("palate.testdata")).resolve("fid-style/images");
        FidCommand cmd = new FidCommand();
        new CommandLine(cmd).parseArgs("--reference", images.toString(), "--generated", images.toString(),
                "--weights", tmp.resolve("absent.pth").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::call);
        assertTrue(e.getMessage().contains("absent.pth") && e.getMessage().contains(FidWeights.INCEPTION_URL), e.getMessage());
    }
}
