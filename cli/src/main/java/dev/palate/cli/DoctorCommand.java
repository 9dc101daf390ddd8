package dev.palate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.NativeRuntime;
import dev.palate.engine.ThreadPools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints what the native runtime is made of and where it came from; the first thing to run on a new machine. */
@Command(name = "doctor", description = "Show libtorch/OpenCV versions, devices, threads and where natives were loaded from.")
final class DoctorCommand implements Callable<Integer> {
    /** Shared libraries the CUDA build of libtorch needs from the system (there is no 1.5.13 redist on Central). */
    private static final String[] CUDA_LIBS = {
        "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcufft.so.12", "libcurand.so.10",
        "libcusparse.so.12", "libcusolver.so.12", "libcudnn.so.9", "libnccl.so.2", "libcufile.so.0", "libcupti.so.13",
        "libnvJitLink.so.13", "libnvrtc.so.13",
    };

    @Option(names = "--threads", description = "Size the native pools as 'palate score --threads N' would, then report them.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("palate doctor");
        out.println("  java            " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.println("  platform        " + Loader.getPlatform() + (NativeRuntime.isGpuBuild() ? " (gpu build)" : " (cpu build)"));
        out.println("  javacpp         " + Loader.getVersion() + ", cache " + Loader.getCacheDir());
        out.println("  javacpp flags   maxBytes=" + System.getProperty("org.bytedeco.javacpp.maxBytes", "(default)")
                + " maxPhysicalBytes=" + System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "(default)")
                + " pathsFirst=" + System.getProperty("org.bytedeco.javacpp.pathsFirst", "false"));

        NativeRuntime.ensureLoaded();
        out.println("  libtorch        " + libtorchVersion() + " (presets " + Loader.getVersion("org.bytedeco", "pytorch") + ")");
        out.println("  opencv          " + opencv_core.CV_VERSION());
        if (threads != null) NativeRuntime.setThreads(threads);
        printThreadPools(out, NativeRuntime.threadPools());
        boolean cuda = torch.cuda_is_available();
        out.println("  devices         cpu" + (cuda ? ", cuda x" + torch.cuda_device_count() : ""));
        out.println("  cuda            " + (cuda ? "available, cudnn " + (torch.cudnn_is_available() ? "available" : "missing")
                : NativeRuntime.isGpuBuild() ? "NOT available (see the CUDA libraries below)" : "not in this build (rebuild with -Pgpu)"));
        if (NativeRuntime.isGpuBuild() || cuda) printCudaLibraries(out);

        out.println("  natives loaded from:");
        for (String path : NativeRuntime.loadedLibraries()) {
            if (path == null) continue;
            out.println("    " + path);
        }
        for (Map.Entry<String, String> e : NativeRuntime.extractedLibraries().entrySet())
            out.println("    pre-extracted " + e.getKey() + " -> " + e.getValue());
        warnAboutSystemLibtorch(out);
        return 0;
    }

    /** The effective size of every process-wide pool, as each library reports it (issue 12). */
    private static void printThreadPools(PrintStream out, ThreadPools p) {
        out.println("  threads         libtorch intra-op " + p.intraOp() + ", libtorch inter-op " + p.interOp()
                + ", OpenBLAS " + (p.openblas() < 0 ? "(not loaded)" : String.valueOf(p.openblas()))
                + ", cores " + Runtime.getRuntime().availableProcessors());
        String spin = System.getenv("GOMP_SPINCOUNT");
        out.println("  omp wait policy " + (p.ompWaitPolicy() == null ? "(not set: idle OpenMP threads spin)" : p.ompWaitPolicy())
                + (spin == null ? "" : ", GOMP_SPINCOUNT=" + spin)
                + (p.ompPassive() ? "" : " -> run through ./palate or export OMP_WAIT_POLICY=PASSIVE before java starts"));
    }

    private static String libtorchVersion() {
        String config = torch.show_config().getString();
        int i = config.indexOf("TORCH_VERSION=");
        if (i < 0) return "(unknown)";
        int end = i + "TORCH_VERSION=".length();
        while (end < config.length() && ",\n ".indexOf(config.charAt(end)) < 0) end++;
        return config.substring(i + "TORCH_VERSION=".length(), end);
    }

    private static void printCudaLibraries(PrintStream out) {
        List<Path> searched = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isEmpty()) searched.add(Path.of(d));
        searched.add(Path.of("/usr/local/cuda/lib64"));
        searched.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        out.println("  cuda runtime libraries (LD_LIBRARY_PATH, /usr/local/cuda/lib64, /usr/lib/x86_64-linux-gnu):");
        List<String> missing = new ArrayList<>();
        for (String lib : CUDA_LIBS) {
            Path found = null;
            for (Path d : searched) if (Files.exists(d.resolve(lib))) { found = d.resolve(lib); break; }
            if (found == null) missing.add(lib);
            else out.println("    found   " + found);
        }
        for (String lib : missing) out.println("    MISSING " + lib);
        if (!missing.isEmpty())
            out.println("    -> install the CUDA 13 toolkit or NVIDIA's cu13 pip wheels and put their lib folders on LD_LIBRARY_PATH");
    }

    private static void warnAboutSystemLibtorch(PrintStream out) {
        for (String p : new String[] {"/usr/lib/x86_64-linux-gnu/libtorch_cpu.so", "/usr/lib/libtorch_cpu.so"}) {
            if (Files.exists(Path.of(p)))
                out.println("  note            a system libtorch exists at " + p + "; Palate pre-extracts its own copy so it is not used");
        }
    }
}
