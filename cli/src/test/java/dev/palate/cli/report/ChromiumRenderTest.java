package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * Renders the sample HTML report with headless Chromium through {@code cli/scripts/render-report.sh} and checks a
 * non-blank 1280×1600 PNG comes out. Skipped when /usr/bin/chromium is absent. The PNG stays at
 * {@code cli/target/report-render/report.png} for a person to look at.
 */
class ChromiumRenderTest {
    @Test
    void reportRendersInHeadlessChromiumToANonBlankScreenshot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "no /usr/bin/chromium (apt-get install -y chromium)");
        Path out = Path.of("target", "report-render").toAbsolutePath();
        Files.createDirectories(out);
        Path html = out.resolve("report.html");
        Path png = out.resolve("report.png");
        Path in = SampleScores.writeJsonl(out, SampleScores.images());
        SampleScores.run("-i", in.toString(), "-o", html.toString(), "-o", out.resolve("report.md").toString(),
                "--title", "Palate report: 3 checkpoints × 5 prompts × 4 seeds");

        Process p = new ProcessBuilder("bash", Path.of("scripts", "render-report.sh").toString(), html.toString(), png.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String log = new String(p.getInputStream().readAllBytes());
        if (!done) p.destroyForcibly();
        assertTrue(done, "chromium did not finish in 120 s");
        assertEquals(0, p.exitValue(), log);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(1600, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y += 2)
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) nonWhite++;
            }
        long sampled = (long) (img.getHeight() / 2) * (img.getWidth() / 2);
        assertTrue(colours.size() > 20, "only " + colours.size() + " colours: blank page?");
        assertTrue(nonWhite > sampled / 50, "only " + nonWhite + " of " + sampled + " sampled pixels are not white");
        // The histogram bars' fill (#4c78a8) is on the page.
        assertTrue(colours.contains(0x4C78A8), "no histogram bar colour #4c78a8 in the screenshot");
    }
}
