package dev.palate.engine;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's own pthread pool, which libtorch's fp32 CPU matmuls (cpublas::gemm -> sgemm_) run on. libtorch's
 * {@code set_num_threads} does not reach it: left alone it keeps one thread per core whatever {@code --threads} says,
 * and its spinning workers compete with libtorch's OpenMP threads for the same cores (issue 12).
 */
final class OpenBlasPool {
    private OpenBlasPool() {}

    /** Sizes the pool (openblas_set_num_threads, through the preset's vendor-neutral wrapper). */
    static void setThreads(int n) {
        openblas_nolapack.blas_set_num_threads(n);
    }

    /**
     * The pool's effective size: OpenBLAS's {@code blas_cpu_number}, the value {@code openblas_get_num_threads()}
     * returns (driver/others/openblas_get_num_threads.c; the preset maps neither); -1 when the symbol is absent.
     */
    static int threads() {
        Loader.load(openblas_nolapack.class);
        Pointer p = Loader.addressof("blas_cpu_number");
        return p == null ? -1 : new IntPointer(p).get();
    }
}
