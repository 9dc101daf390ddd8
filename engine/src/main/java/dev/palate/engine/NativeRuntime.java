package dev.palate.engine;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch (and its JNI) exactly once, from our own jar.
 *
 * <p>On a cold JavaCPP cache the presets dlopen the 15 KB stub {@code libtorch.so} before {@code libtorch_cpu.so}
 * has been extracted next to it, so {@code ld.so} resolves the dependency from the system (Debian's
 * {@code libtorch-dev}) and two libtorch copies crash in {@code Dispatcher::registerFallback} (engine.md §0.3).
 * Extracting every shared library of the jar into the cache first makes {@code $ORIGIN} win.
 *
 * <p>Threads: libtorch's intra-op pool (OpenMP) and OpenBLAS's pthread pool are process-wide and sized together
 * here, at load from libtorch's own choice and later by {@link #setThreads(int)} (issue 12). Idle OpenMP threads
 * yield only when {@code OMP_WAIT_POLICY=PASSIVE} is in the environment before libgomp starts: libgomp reads it in its
 * load-time constructor and offers no call to change it afterwards, so the {@code ./palate} launcher, surefire and
 * {@code bench/run} set it.
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
                Loader.load(torch.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("libtorch could not be loaded (" + e.getMessage() + "). Run './palate doctor'"
                        + " for details; a GPU build needs the CUDA 13 runtime libraries on LD_LIBRARY_PATH.", e);
            }
            // OPENBLAS_NUM_THREADS set by the user wins at start; --threads (setThreads) overrides it later
            if (System.getenv("OPENBLAS_NUM_THREADS") == null) OpenBlasPool.setThreads(openblasThreadsFor(torch.get_num_threads()));
            loaded = true;
        }
    }

    /**
     * Sets libtorch's intra-op threads and OpenBLAS's pool together, for the whole process (both pools are global).
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        ensureLoaded();
        torch.set_num_threads(n);
        OpenBlasPool.setThreads(openblasThreadsFor(n));
    }

    /** The effective size of every native thread pool now, as each library reports it. */
    public static ThreadPools threadPools() {
        ensureLoaded();
        return new ThreadPools(torch.get_num_threads(), torch.get_num_interop_threads(), OpenBlasPool.threads(),
                System.getenv("OMP_WAIT_POLICY"));
    }

    /**
     * OpenBLAS's pool for a given intra-op count. The default is the same count, measured fastest on a quiet
     * machine (issue 12: fp32 ViT encode at 2 threads 0.92–1.07× PyTorch with 2 BLAS threads, 0.64–0.81× with 1;
     * README "CPU speed"). {@code -Dpalate.openblasThreads=N} fixes it at N whatever the intra-op count, e.g. 1 on a
     * host where other processes keep the cores busy.
     */
    static int openblasThreadsFor(int intraOp) {
        String fixed = System.getProperty(OPENBLAS_THREADS_PROPERTY);
        if (fixed == null || fixed.isBlank()) return intraOp;
        try {
            int n = Integer.parseInt(fixed.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("-D" + OPENBLAS_THREADS_PROPERTY + " must be a thread count of at least 1, got '"
                + fixed + "'; leave it unset to size OpenBLAS like libtorch's intra-op pool");
    }

    /** The system property that fixes OpenBLAS's pool size (see {@link #openblasThreadsFor}). */
    public static final String OPENBLAS_THREADS_PROPERTY = "palate.openblasThreads";

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
