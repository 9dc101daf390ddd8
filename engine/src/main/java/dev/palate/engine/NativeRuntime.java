package dev.palate.engine;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Loader;

/**
 * Loads libtorch (and its JNI) exactly once, from our own jar.
 *
 * <p>On a cold JavaCPP cache the presets dlopen the 15 KB stub {@code libtorch.so} before {@code libtorch_cpu.so}
 * has been extracted next to it, so {@code ld.so} resolves the dependency from the system (Debian's
 * {@code libtorch-dev}) and two libtorch copies crash in {@code Dispatcher::registerFallback} (engine.md §0.3).
 * Extracting every shared library of the jar into the cache first makes {@code $ORIGIN} win.
 */
public final class NativeRuntime {
    private static final String[] PRE_EXTRACTED = {
        "libgomp.so.1", "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so",
    };
    private static final Map<String, String> extracted = new LinkedHashMap<>();
    private static volatile boolean loaded;

    private NativeRuntime() {}

    /** Loads libtorch if it is not loaded yet; every class touching {@code org.bytedeco.pytorch} calls this first. */
    public static void ensureLoaded() {
        if (loaded) return;
        synchronized (NativeRuntime.class) {
            if (loaded) return;
            preExtract();
            try {
                Loader.load(org.bytedeco.pytorch.global.torch.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("libtorch could not be loaded (" + e.getMessage() + "). Run './palate doctor'"
                        + " for details; a GPU build needs the CUDA 13 runtime libraries on LD_LIBRARY_PATH.", e);
            }
            loaded = true;
        }
    }

    private static void preExtract() {
        String dir = "/org/bytedeco/pytorch/" + Loader.getPlatform() + (isGpuBuild() ? "-gpu" : "") + "/";
        for (String lib : PRE_EXTRACTED) {
            if (Loader.class.getResource(dir + lib) == null) continue;
            try {
                File f = Loader.cacheResource(Loader.class, dir + lib);
                if (f != null) extracted.put(lib, f.getAbsolutePath());
            } catch (Exception e) {
                extracted.put(lib, "not extracted: " + e.getMessage());
            }
        }
    }

    /** True when the CUDA build of the pytorch natives is on the classpath (the {@code gpu} Maven profile). */
    public static boolean isGpuBuild() {
        return Loader.class.getResource("/org/bytedeco/pytorch/" + Loader.getPlatform() + "-gpu/") != null;
    }

    /** Where the pre-extracted libraries were put (library name to absolute path). */
    public static Map<String, String> extractedLibraries() {
        ensureLoaded();
        return Map.copyOf(extracted);
    }

    /** Libraries JavaCPP reports as loaded, for diagnostics. */
    public static List<String> loadedLibraries() {
        ensureLoaded();
        return new ArrayList<>(Loader.getLoadedLibraries().values());
    }
}
