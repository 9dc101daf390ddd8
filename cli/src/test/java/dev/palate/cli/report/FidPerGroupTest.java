package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.cli.DeterministicInception;
import dev.palate.cli.ReportCommand;
import dev.palate.engine.Device;
import dev.palate.models.fid.FeatureStatistics;
import dev.palate.models.fid.FidCalculator;
import dev.palate.models.fid.FidWeights;
import dev.palate.models.fid.FrechetDistance;
import dev.palate.models.fid.InceptionInput;
import dev.palate.models.fid.NpzStats;
import dev.palate.models.inception.FidInceptionV3;
import picocli.CommandLine;

/** {@code palate report --fid-reference}: FID per checkpoint equals {@code palate fid}'s computation on the same files. */
class FidPerGroupTest {
    static final Path IMAGES = Path.of(System.getProperty("palate.testdata")).resolve("fid-style/images");
    static final double REL_TOL = 1e-9;

    /** pytorch-fid --dims 64 (first block): the same code path as 2048 without 2048² eigendecompositions in the test. */
    static final int DIMS = 64;

    @TempDir static Path shared;
    static Path weights;
    static FidInceptionV3 net;

    @TempDir Path tmp;

    @BeforeAll
    static void weights() {
        weights = DeterministicInception.checkpoint(shared);
        net = FidWeights.inception(weights, Device.CPU);
    }

    @AfterAll
    static void close() {
        net.close();
    }

    /**
     * ck-a: images 0–2 (img0 twice: counted once); ck-b: images 3–5, a missing file (line 8), and a failed row whose
     * file is missing too (line 9: not used, not reported). Image paths are relative to the fixture folder.
     */
    Path scores() throws Exception {
        Path f = tmp.resolve("run/scores.jsonl");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                {"image": "img0_256x256.png", "prompt": "p", "checkpoint": "ck-a", "seed": 1, "pickscore": 20.0}
                {"image": "img1_256x256.png", "prompt": "p", "checkpoint": "ck-a", "seed": 2, "pickscore": 21.0}
                {"image": "img2_256x256.png", "prompt": "p", "checkpoint": "ck-a", "seed": 3, "pickscore": 22.0}
                {"image": "img0_256x256.png", "prompt": "q", "checkpoint": "ck-a", "seed": 1, "pickscore": 20.5}
                {"image": "img3_256x256.png", "prompt": "p", "checkpoint": "ck-b", "seed": 1, "pickscore": 23.0}
                {"image": "img4_299x299.png", "prompt": "p", "checkpoint": "ck-b", "seed": 2, "pickscore": 19.0}
                {"image": "img5_512x384.png", "prompt": "p", "checkpoint": "ck-b", "seed": 3, "pickscore": 24.0}
                {"image": "gone_256x256.png", "prompt": "q", "checkpoint": "ck-b", "seed": 1, "pickscore": 22.5}
                {"image": "failed.png", "prompt": "q", "checkpoint": "ck-b", "seed": 2, "error": "CUDA out of memory"}
                """, StandardCharsets.UTF_8);
        return f;
    }

    static String run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(args);
        if (rc != 0) throw new AssertionError("palate report exited " + rc + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return out.toString();
    }

    /** FID of each group's files against {@code ref} with palate fid's code: FidCalculator features, FrechetDistance. */
    static double[] direct(FeatureStatistics ref, FidCalculator calc) {
        return new double[]{
                FrechetDistance.compute(ref, FeatureStatistics.of(calc.features(files("img0_256x256.png", "img1_256x256.png",
                        "img2_256x256.png"), "a"))).value(),
                FrechetDistance.compute(ref, FeatureStatistics.of(calc.features(files("img3_256x256.png", "img4_299x299.png",
                        "img5_512x384.png"), "b"))).value()};
    }

    static void assertRelative(double expected, double actual, String what) {
        System.out.printf("%s: report %.12g, direct %.12g, rel diff %.3g (tolerance %.0e)%n", what, actual, expected,
                Math.abs(actual - expected) / Math.abs(expected), REL_TOL);
        assertEquals(expected, actual, REL_TOL * Math.abs(expected), what);
    }

    @Test
    void fidPerCheckpointMatchesFidCalculatorOnTheSameFilesWithin1e9Relative() throws Exception {
        Path scores = scores();
        Path md = tmp.resolve("out/report.md"), csv = tmp.resolve("out/report.csv"), html = tmp.resolve("out/report.html");
        long t0 = System.nanoTime();
        String stdout = run("--input", scores.toString(), "--fid-reference", IMAGES.toString(), "--image-root", IMAGES.toString(),
                "--fid-weights", weights.toString(), "--batch-size", "4", "--fid-dims", Integer.toString(DIMS),
                "--output", md.toString(), "--output", csv.toString(), "--output", html.toString());
        double reportSecs = (System.nanoTime() - t0) / 1e9;

        // The same numbers straight from palate fid's code: reference folder statistics, then each group's files.
        System.out.printf("palate report with FID (legacy, %d-d, 12 images) took %.1f s%n", DIMS, reportSecs);
        FidCalculator calc = new FidCalculator(net, new FidCalculator.Options(DIMS, InceptionInput.Mode.LEGACY, 4),
                FidCalculator.Progress.NONE);
        double[] d = direct(FeatureStatistics.of(calc.features(FidCalculator.listImages(IMAGES), "reference")), calc);
        double fidA = d[0], fidB = d[1];

        Map<String, String> c = SampleScores.readReportCsv(csv);
        assertRelative(fidA, Double.parseDouble(c.get("fid|checkpoint=ck-a|fid|fid")), "legacy FID ck-a");
        assertRelative(fidB, Double.parseDouble(c.get("fid|checkpoint=ck-b|fid|fid")), "legacy FID ck-b");
        assertTrue(fidA > 0 && fidB > 0 && fidA != fidB, fidA + " " + fidB);
        assertEquals("3", c.get("fid|checkpoint=ck-a|fid|images")); // img0 listed twice, counted once
        assertEquals("0", c.get("fid|checkpoint=ck-a|fid|missing"));
        assertEquals("3", c.get("fid|checkpoint=ck-b|fid|images"));
        assertEquals("1", c.get("fid|checkpoint=ck-b|fid|missing")); // gone_256x256.png; failed.png's row is an error row
        assertEquals("0", c.get("fid|checkpoint=ck-b|fid|full_rank"));
        assertEquals("legacy", c.get("fid|checkpoint=ck-b|fid|mode"));
        assertEquals("6", c.get("fid|reference|fid|images"));

        String mdText = Files.readString(md), htmlText = Files.readString(html);
        assertTrue(mdText.contains("## FID per checkpoint (lower is better; not part of the ranking)"), mdText);
        assertTrue(mdText.contains("| ck-a | 3 | " + Numbers.fixed(fidA) + " | 0 | 0 | no (n < 65) |"), mdText);
        assertTrue(mdText.contains("| ck-b | 3 | " + Numbers.fixed(fidB) + " | 1 | 0 | no (n < 65) |"), mdText);
        assertTrue(mdText.contains("Mode legacy (pytorch-fid)"), mdText);
        assertTrue(mdText.contains("the 64-d covariance has rank at most 2 and needs at least 65 images for full rank"), mdText);
        String missing = "scores.jsonl line 8: image file " + IMAGES.resolve("gone_256x256.png").normalize() + " not found";
        assertTrue(mdText.contains(missing) && mdText.contains("FID errors (1 image files left out)"), mdText);
        assertTrue(!mdText.contains("failed.png"), "an error row's image is not FID input: " + mdText);
        assertTrue(htmlText.contains("<table class=\"fid\">") && htmlText.contains("<td>" + Numbers.fixed(fidA) + "</td>")
                && htmlText.contains("<td>" + Numbers.fixed(fidB) + "</td>") && htmlText.contains(missing), htmlText);
        assertTrue(stdout.contains("FID per checkpoint (legacy") && stdout.contains("FID " + Numbers.fixed(fidA))
                && stdout.contains("fid error: " + scores + " line 8: image file " + IMAGES.resolve("gone_256x256.png")), stdout);

        // FID is beside the ranking, not in it: every other line of the CSV is what the report gives without FID.
        Path plain = tmp.resolve("out/plain.csv");
        run("--input", scores.toString(), "--output", plain.toString());
        List<String> withFid = Files.readAllLines(csv).stream().filter(l -> !l.startsWith("fid,")).toList();
        assertEquals(Files.readAllLines(plain), withFid);
    }

    @Test
    void cleanModeAgainstNpzStatisticsMatchesFidCalculatorWithin1e9Relative() throws Exception {
        FidCalculator calc = new FidCalculator(net, new FidCalculator.Options(DIMS, InceptionInput.Mode.CLEAN, 50),
                FidCalculator.Progress.NONE);
        FeatureStatistics ref = FeatureStatistics.of(calc.features(FidCalculator.listImages(IMAGES), "reference"));
        Path npz = tmp.resolve("ref.npz");
        NpzStats.write(npz, ref);
        double[] d = direct(NpzStats.read(npz), calc);

        Path scores = scores();
        Path csv = tmp.resolve("report.csv");
        String stdout = run("--input", scores.toString(), "--fid-reference", npz.toString(), "--image-root", IMAGES.toString(),
                "--fid-weights", weights.toString(), "--fid-mode", "clean", "--fid-dims", Integer.toString(DIMS),
                "--output", csv.toString());
        Map<String, String> c = SampleScores.readReportCsv(csv);
        assertRelative(d[0], Double.parseDouble(c.get("fid|checkpoint=ck-a|fid|fid")), "clean FID ck-a vs .npz");
        assertRelative(d[1], Double.parseDouble(c.get("fid|checkpoint=ck-b|fid|fid")), "clean FID ck-b vs .npz");
        assertEquals("clean", c.get("fid|checkpoint=ck-a|fid|mode"));
        assertEquals("NaN", c.get("fid|reference|fid|images")); // statistics only
        assertTrue(stdout.contains("FID per checkpoint (clean") && stdout.contains("against " + npz + ":"), stdout);
    }

    @Test
    void fidOptionsAreCheckedBeforeAnyWork() throws Exception {
        Path scores = scores();
        ReportCommand cmd = new ReportCommand();
        new CommandLine(cmd).parseArgs("--input", scores.toString(), "--image-root", IMAGES.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::call);
        assertTrue(e.getMessage().contains("--image-root") && e.getMessage().contains("--fid-reference"), e.getMessage());

        ReportCommand absent = new ReportCommand();
        new CommandLine(absent).parseArgs("--input", scores.toString(), "--fid-reference", tmp.resolve("nope").toString());
        e = assertThrows(IllegalArgumentException.class, absent::call);
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("does not exist"), e.getMessage());

        Path noImage = tmp.resolve("noimage.jsonl");
        Files.writeString(noImage, "{\"checkpoint\": \"a\", \"pickscore\": 1.0}\n{\"checkpoint\": \"b\", \"pickscore\": 2.0}\n");
        ReportCommand noField = new ReportCommand();
        new CommandLine(noField).parseArgs("--input", noImage.toString(), "--fid-reference", IMAGES.toString(),
                "--fid-weights", tmp.resolve("absent.pth").toString());
        e = assertThrows(IllegalArgumentException.class, noField::call);
        assertTrue(e.getMessage().contains("no 'image' field"), e.getMessage());
    }

    private static List<Path> files(String... names) {
        return java.util.Arrays.stream(names).map(IMAGES::resolve).toList();
    }
}
