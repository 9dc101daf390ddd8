package dev.palate.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeScope;

class CpuReducedPrecisionTest {
    private static float maxDiff(Tensor a, Tensor b) {
        return a.to(ScalarType.Float).sub(b.to(ScalarType.Float)).abs().max().item_float();
    }

    @Test
    void bf16LinearOfManyRowsIsTheFp32ProductRoundedOnceWhereTheCpuLacksBf16() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(5);
            Tensor x = torch.randn(3, 20, 64).to(ScalarType.BFloat16);           // 60 rows >= MIN_ROWS
            Tensor w = torch.randn(48, 64).to(ScalarType.BFloat16), b = torch.randn(48).to(ScalarType.BFloat16);
            Tensor got = new Linear(w, b).apply(x);
            assertEquals(ScalarType.BFloat16.value, got.scalar_type().value, "result leaves in the input dtype");
            Tensor fp32 = torch.linear(x.to(ScalarType.Float), w.to(ScalarType.Float), new TensorOptional(b.to(ScalarType.Float)));
            if (!CpuReducedPrecision.nativeOnThisCpu(ScalarType.BFloat16))
                assertEquals(0f, maxDiff(got, fp32.to(ScalarType.BFloat16)), "fp32 route: exactly one rounding (tolerance 0)");
            // either route: within half a bf16 ulp of |y| <= 64 plus accumulation-order noise
            assertTrue(maxDiff(got, fp32) <= 0.5f, "bf16 linear vs fp32: " + maxDiff(got, fp32));
        }
    }

    @Test
    void fewRowsKeepLibtorchsKernelAndFp32IsNeverRerouted() {
        try (NativeScope s = NativeScope.open()) {
            Tensor one = torch.randn(1, 64).to(ScalarType.BFloat16);
            assertTrue(!CpuReducedPrecision.upcasts(one, CpuReducedPrecision.MIN_ROWS - 1), "a decode step (matrix-vector) stays native");
            assertTrue(!CpuReducedPrecision.upcasts(torch.randn(64, 64), 64), "fp32 is fp32");
            assertEquals(!CpuReducedPrecision.nativeOnThisCpu(ScalarType.BFloat16), CpuReducedPrecision.upcasts(one, 1000));
        }
    }

    @Test
    void bf16ConvAndMatmulMatchTheirFp32FormsRoundedOnce() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(6);
            Tensor img = torch.randn(2, 3, 32, 32).to(ScalarType.BFloat16), k = torch.randn(8, 3, 16, 16).to(ScalarType.BFloat16);
            long[] st = {16, 16}, pad = {0, 0}, dil = {1, 1};
            Tensor conv = CpuReducedPrecision.conv2d(img, k, null, st, pad, dil, 1);                       // [2, 8, 2, 2]
            Tensor conv32 = torch.conv2d(img.to(ScalarType.Float), k.to(ScalarType.Float), new TensorOptional(), st, pad, dil, 1);
            Tensor a = torch.randn(40, 32).to(ScalarType.BFloat16), p = torch.randn(32, 16).to(ScalarType.BFloat16);
            Tensor mm = CpuReducedPrecision.matmul(a, p), mm32 = a.to(ScalarType.Float).matmul(p.to(ScalarType.Float));
            if (!CpuReducedPrecision.nativeOnThisCpu(ScalarType.BFloat16)) {
                assertEquals(0f, maxDiff(conv, conv32.to(ScalarType.BFloat16)), "conv, fp32 route (tolerance 0)");
                assertEquals(0f, maxDiff(mm, mm32.to(ScalarType.BFloat16)), "matmul, fp32 route (tolerance 0)");
            }
            assertTrue(maxDiff(conv, conv32) <= 1f && maxDiff(mm, mm32) <= 0.5f, "within bf16 rounding of |y| <= 128");
        }
    }
}
