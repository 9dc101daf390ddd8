package dev.palate.engine;

/**
 * The effective sizes of the process-wide native thread pools, as the libraries report them (see
 * {@link NativeRuntime#threadPools()}).
 *
 * @param intraOp        libtorch intra-op threads ({@code at::get_num_threads}, OpenMP here)
 * @param interOp        libtorch inter-op threads ({@code at::get_num_interop_threads})
 * @param openblas       OpenBLAS's pthread pool ({@code openblas_get_num_threads}); -1 when OpenBLAS is not loaded
 * @param ompWaitPolicy  {@code OMP_WAIT_POLICY} as libgomp read it from the environment at start, or null when unset
 *                       (then idle OpenMP threads spin for {@code GOMP_SPINCOUNT} iterations before sleeping)
 */
public record ThreadPools(int intraOp, long interOp, int openblas, String ompWaitPolicy) {
    /** True when idle OpenMP threads sleep instead of spinning. */
    public boolean ompPassive() { return ompWaitPolicy != null && ompWaitPolicy.trim().equalsIgnoreCase("passive"); }
}
