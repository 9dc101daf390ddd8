package dev.palate.engine.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * bf16/fp16 matmuls and convolutions on a CPU without reduced-precision multiply-add instructions, computed in fp32
 * (issue 12).
 *
 * <p>On an x86 CPU without {@code avx512_bf16}/{@code amx_bf16} (fp16: {@code avx512_fp16}/{@code amx_fp16}),
 * libtorch 2.10's bf16 GEMM emulates the format and is 5–7× slower than its fp32 one, and a bf16 {@code conv2d}
 * about 40× slower (measured at ViT-B/16 sizes, 2 threads: linear 197×768→3072 71 ms bf16 vs 14 ms upcast;
 * patch-embedding conv 126 vs 2.9 ms). PyTorch 2.14 has the same bf16 GEMM speed there. Casting the operands to fp32,
 * multiplying in fp32 and rounding the result back once gives the numbers bf16 GEMM gives up to summation order
 * (it accumulates in fp32 too), at fp32 speed. Below {@link #MIN_ROWS} rows the GEMM is a matrix-vector product
 * bound by reading the weight, and the native bf16 kernel wins (1 × 3584→18944: 13 ms native, 283 ms upcast), so
 * decode steps keep it.
 *
 * <p>{@code -Dpalate.cpuMatmul=fp32} forces the upcast, {@code native} keeps libtorch's kernels, {@code auto} (the
 * default) decides from {@code /proc/cpuinfo}; where that file is absent (not Linux) the native kernels are kept.
 */
public final class CpuReducedPrecision {
    /** Fewest GEMM rows (product of all but the last input dimension) for which the fp32 route is taken. */
    public static final long MIN_ROWS = 32;
    /** System property choosing the route: {@code auto}, {@code fp32} or {@code native}. */
    public static final String PROPERTY = "palate.cpuMatmul";

    private static final Route ROUTE = Route.fromSettings();

    private CpuReducedPrecision() {}

    private enum Route { FP32, NATIVE, AUTO;
        static Route fromSettings() {
            String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "fp32": return FP32;
                case "native": return NATIVE;
                case "auto": case "": return AUTO;
                default: throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, fp32 or native, got '" + v + "'");
            }
        }
    }

    /** CPU flags from /proc/cpuinfo, read once; null where there is no such file. */
    private static final class CpuFlags {
        static final String FLAGS = read();

        private static String read() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                    if (line.startsWith("flags")) return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                return "";
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        static boolean has(String flag) { return FLAGS == null || FLAGS.contains(" " + flag + " "); }
    }

    /** True when this CPU multiplies {@code type} natively (or it is not a reduced-precision type at all). */
    public static boolean nativeOnThisCpu(ScalarType type) {
        if (type.value == ScalarType.BFloat16.value) return CpuFlags.has("avx512_bf16") || CpuFlags.has("amx_bf16");
        if (type.value == ScalarType.Half.value) return CpuFlags.has("avx512_fp16") || CpuFlags.has("amx_fp16");
        return true;
    }

    /** Whether a GEMM with {@code rows} rows on tensor {@code x} goes through fp32. */
    static boolean upcasts(Tensor x, long rows) {
        if (ROUTE == Route.NATIVE || !x.is_cpu()) return false;
        ScalarType t = x.scalar_type();
        if (t.value != ScalarType.BFloat16.value && t.value != ScalarType.Half.value) return false;
        return ROUTE == Route.FP32 || (!nativeOnThisCpu(t) && rows >= MIN_ROWS);
    }

    /** {@code torch.linear(x, weight, bias)}, through fp32 where {@link #upcasts} says so. x [..., in] → [..., out] */
    public static Tensor linear(Tensor x, Tensor weight, Tensor biasOrNull) {
        long in = x.size(-1);
        if (!upcasts(x, in == 0 ? 0 : x.numel() / in)) return torch.linear(x, weight, optional(biasOrNull));
        ScalarType t = x.scalar_type();
        Tensor b = biasOrNull == null ? null : biasOrNull.to(ScalarType.Float);
        return torch.linear(x.to(ScalarType.Float), weight.to(ScalarType.Float), optional(b)).to(t);
    }

    /** {@code x.matmul(w)} for a 2-D {@code w} [in, out], through fp32 where {@link #upcasts} says so. */
    public static Tensor matmul(Tensor x, Tensor w) {
        long in = x.size(-1);
        if (!upcasts(x, in == 0 ? 0 : x.numel() / in)) return x.matmul(w);
        ScalarType t = x.scalar_type();
        return x.to(ScalarType.Float).matmul(w.to(ScalarType.Float)).to(t);
    }

    /**
     * {@code torch.conv2d}, through fp32 for bf16/fp16 on a CPU without native support whatever the size (the
     * reduced-precision CPU convolution is slower at every size measured).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor biasOrNull, long[] stride, long[] padding, long[] dilation, long groups) {
        if (!upcasts(x, Long.MAX_VALUE)) return torch.conv2d(x, weight, optional(biasOrNull), stride, padding, dilation, groups);
        ScalarType t = x.scalar_type();
        Tensor b = biasOrNull == null ? null : biasOrNull.to(ScalarType.Float);
        return torch.conv2d(x.to(ScalarType.Float), weight.to(ScalarType.Float), optional(b), stride, padding, dilation, groups).to(t);
    }

    private static TensorOptional optional(Tensor t) { return t == null ? new TensorOptional() : new TensorOptional(t); }
}
