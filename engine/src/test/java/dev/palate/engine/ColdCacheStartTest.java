package dev.palate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start with an empty JavaCPP cache must load our libtorch, not a system one (Debian's libtorch-dev puts
 * libtorch_cpu.so 1.13 in /usr/lib/x86_64-linux-gnu; without pre-extraction the JVM crashes there, engine.md §0.3).
 */
class ColdCacheStartTest {
    @Test
    void freshJavacppCacheLoadsOnlyBundledLibtorch(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.cachedir=" + cache,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish in 120 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean systemLibtorch = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so"));
        System.out.println("system libtorch present: " + systemLibtorch + "\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("sum=6.0"), out);
        for (String line : out.lines().toList())
            if (line.startsWith("lib ") && line.contains("torch"))
                assertTrue(line.contains(cache.toString()), "libtorch loaded from outside the fresh cache: " + line);
        assertFalse(out.contains("/usr/lib/x86_64-linux-gnu/libtorch"), out);
    }

    /** Runs in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            NativeRuntime.ensureLoaded();
            System.out.println("sum=" + torch.ones(3).mul(new org.bytedeco.pytorch.Scalar(2.0)).sum().item_float());
            List<String> libs = NativeRuntime.loadedLibraries();
            for (String l : libs) if (l != null) System.out.println("lib " + l);
            // also what the dynamic loader actually mapped
            try {
                Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .filter(line -> line.contains("libtorch") && line.contains(File.separator))
                        .map(line -> line.substring(line.indexOf('/'))).distinct()
                        .forEach(path -> System.out.println("lib " + path));
            } catch (Exception e) {
                System.out.println("maps unreadable: " + e);
            }
        }
    }
}
