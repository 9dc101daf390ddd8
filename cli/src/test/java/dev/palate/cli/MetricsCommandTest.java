package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerRegistry;
import picocli.CommandLine;

/**
 * {@code palate metrics} (issue 11 item 13): each metric says once what it takes, and lists every model role it
 * reads with its default or "no default" (before: "image only" twice, no head/style/base/processor roles).
 * Rendered text: exact substrings.
 */
class MetricsCommandTest {
    private static String metricsOutput() {
        StringWriter out = new StringWriter();
        CommandLine cl = PalateCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("metrics"));
        return out.toString();
    }

    /** The lines of each metric's entry, keyed by metric name (an entry starts with the name in column 0). */
    private static Map<String, String> entries(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith(" ")) {
                current = line.split(" ", 2)[0];
                entries.put(current, "");
            }
            entries.put(current, entries.get(current) + line + "\n");
        }
        return entries;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
        return n;
    }

    @Test
    void everyMetricSaysOnceWhatItTakesAndListsItsModelRoles() {
        Map<String, String> entries = entries(metricsOutput());
        for (ScorerFactory f : ScorerRegistry.factories()) {
            String entry = entries.get(f.name());
            assertTrue(entry != null, f.name() + " is not listed");
            assertEquals(1, count(entry, "image only") + count(entry, "the image and the prompt"), entry);
            assertEquals(1, count(entry, "model roles (--model " + f.name() + ":ROLE=PATH): "), entry);
            for (String role : f.roles()) assertTrue(entry.contains(role + " = ") || entry.contains(role + " (no default)"), role + ": " + entry);
        }
    }

    @Test
    void rolesWithoutADefaultSaySoAndDefaultsAreShownBesideTheirRole() {
        Map<String, String> e = entries(metricsOutput());
        assertTrue(e.get("aesthetic-v1").contains("model roles (--model aesthetic-v1:ROLE=PATH): head (no default), backbone = openai/clip-vit-large-patch14"), e.get("aesthetic-v1"));
        assertTrue(e.get("aesthetic-v2").contains(": head (no default), backbone = openai/clip-vit-large-patch14"), e.get("aesthetic-v2"));
        assertTrue(e.get("hp").contains(": model (no default), backbone = 8y/HP/hp_backbone, head = 8y/HP/hp_scorer/mlp_pytorch_model.bin, base = laion/CLIP-ViT-H-14-laion2B-s32B-b79K"), e.get("hp"));
        assertTrue(e.get("ict").contains(": model = 8y/ICT, base = laion/CLIP-ViT-H-14-laion2B-s32B-b79K"), e.get("ict"));
        assertTrue(e.get("pickscore").contains(": model = yuvalkirstain/PickScore_v1, processor = laion/CLIP-ViT-H-14-laion2B-s32B-b79K"), e.get("pickscore"));
        assertTrue(e.get("hpsv3").contains(": model = MizzenAI/HPSv3/HPSv3.safetensors, processor = Qwen/Qwen2-VL-7B-Instruct"), e.get("hpsv3"));
        assertTrue(e.get("style-loss").contains(": style (no default), model (no default)"), e.get("style-loss"));
        for (String judge : new String[] {"unifiedreward-edit", "unifiedreward", "qwen-image-bench"})
            assertTrue(e.get(judge).contains(": model (no default), processor (no default)"), e.get(judge));
        assertTrue(e.get("hpsv2").contains(": model = xswu/HPSv2/"), e.get("hpsv2"));
    }
}
